"""Annual safety appraisal (安全生产目标管理责任制考核): score each township from its records by a rules file
the assessment team owns, with the evidence behind every point.

records.py holds what the engine is handed and what a rule may count, rules.py reads and checks a rules
file, scoring.py turns records and rules into scores, lines and ranks. schemes/ holds the shipped schemes.
"""
