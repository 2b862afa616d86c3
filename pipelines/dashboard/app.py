"""The Claimhouse BI dashboard (Streamlit entry point).

    streamlit run pipelines/dashboard/app.py -- --warehouse warehouse/claimhouse.duckdb

or ``claimhouse dashboard``.  Without ``--warehouse`` it reads
``$CLAIMHOUSE_WAREHOUSE`` (default ``warehouse/claimhouse.duckdb``).  The warehouse
is opened read-only, with external access disabled, once per page render.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from pipelines.dashboard import queries
from pipelines.dashboard.pages import PAGES
from pipelines.dashboard.queries import Filters
from pipelines.settings import warehouse_path
from pipelines.storage.readonly import ReadOnlyQueryError, connect_read_only


def warehouse_from_args(argv: list[str]) -> Path:
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--warehouse", type=Path)
    args, _ = parser.parse_known_args(argv)
    return args.warehouse.expanduser().resolve() if args.warehouse else warehouse_path()


def sidebar_filters(choices: dict) -> Filters:
    """Date range, publishers and actors; a filter left at 'everything' is not applied."""
    st.sidebar.header("Filters")
    first, last = choices["first_day"], choices["last_day"]
    date_from = date_to = None
    if first is not None:
        picked = st.sidebar.date_input("Published between", value=(first, last), min_value=first,
                                       max_value=last, key="filter_dates")
        if isinstance(picked, tuple) and len(picked) == 2 and tuple(picked) != (first, last):
            date_from, date_to = picked
    publishers = st.sidebar.multiselect("Publishers", choices["publishers"], key="filter_publishers")
    names = dict(zip(choices["actors"]["actor_id"], choices["actors"]["name"]))
    actors = st.sidebar.multiselect("Speaking actors", list(names), format_func=names.get, key="filter_actors")
    return Filters(date_from=date_from, date_to=date_to, publishers=tuple(publishers), actors=tuple(actors))


def main() -> None:
    st.set_page_config(page_title="Claimhouse", layout="wide")
    warehouse = warehouse_from_args(sys.argv[1:])
    st.sidebar.title("Claimhouse")
    page = st.sidebar.radio("Page", list(PAGES), key="page")
    try:
        con = connect_read_only(warehouse)
    except ReadOnlyQueryError as error:
        st.error(str(error))
        st.stop()
    try:
        filters = sidebar_filters(queries.filter_choices(con))
        st.sidebar.caption(f"Warehouse: `{warehouse}` (read-only)")
        PAGES[page](con, filters)
    finally:
        con.close()


main()
