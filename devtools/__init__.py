"""Developer tools: the demo data generator and the bench. The CLI exposes them (`emstat demo`, `emstat bench`)."""
