"""Centrifuge: a router only. Pages live in dashboard/pages/."""

import streamlit as st

st.set_page_config(page_title="Centrifuge", page_icon=":material/map:", layout="wide")
page = st.navigation(
    [
        st.Page("dashboard/pages/uk_map.py", title="UK map", icon=":material/map:", default=True),
        st.Page("dashboard/pages/about.py", title="About the data", icon=":material/info:"),
    ]
)
page.run()
