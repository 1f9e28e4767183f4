"""The bottom layer every package may import: settings, schema helpers, the clock, periods, Chinese labels, and
writing files. It imports no other package of the project."""
