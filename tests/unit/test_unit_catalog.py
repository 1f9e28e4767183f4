from decimal import Decimal

import duckdb

from core.catalog import insert_rows


def test_rows_keep_their_values_whatever_python_guesses_of_a_column():
    con = duckdb.connect()
    con.execute("create table t (id varchar, amount decimal(18, 2), ids varchar[], note varchar, n integer)")
    # A column of None only, lists that are all empty but one, money to the fen.
    insert_rows(con, "t", [("a", Decimal("0.10"), [], None, 1), ("b", Decimal("12345678.99"), ["x", "y"], None, None)])
    insert_rows(con, "t", [])
    insert_rows(con, "t", [("c", Decimal("1"), [], "一般", 3)])  # every list empty: a column of no known type
    assert con.execute("select * from t order by id").fetchall() == [
        ("a", Decimal("0.10"), [], None, 1),
        ("b", Decimal("12345678.99"), ["x", "y"], None, None),
        ("c", Decimal("1.00"), [], "一般", 3),
    ]
