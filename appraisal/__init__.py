"""Annual safety appraisal (安全生产目标管理责任制考核): each region scored by a rules file the assessment team owns,
with the records behind every point.

rules.py reads and checks a rules file (records.py holds its words), rule_rows.py turns it into the rows the dbt
appraisal models score from (dbt/models/appraisal/), run.py reads the scores or runs a what-if; sheets.py,
text.py and xlsx.py lay them out. schemes/ holds the shipped schemes.
"""
