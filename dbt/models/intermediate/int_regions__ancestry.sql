-- Each region of the current tree with itself (depth 0) and every region above it.
{{ region_ancestry(ref('int_regions__current')) }}
