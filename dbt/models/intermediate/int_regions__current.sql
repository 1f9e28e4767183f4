-- The region tree the warehouse reports by: as known now and in force on the day the records run through,
-- for every period and both sides of each comparison (可比口径).
{{ region_tree(ref('int_regions__versions'), 'null', data_through()) }}
