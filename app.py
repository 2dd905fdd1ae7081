"""Centrifuge: a router only. Pages live in dashboard/pages/."""

import streamlit as st

from dashboard.ui import cache

# No page icons: Streamlit fetches a material-icon favicon from a font CDN; we work offline.
st.set_page_config(page_title="Centrifuge", layout="wide")
cache.warm_postcodes()
page = st.navigation(
    [
        st.Page("dashboard/pages/uk_map.py", title="Atlas", default=True),
        st.Page("dashboard/pages/organisation.py", title="Organisations", url_path="organisations"),
        st.Page("dashboard/pages/studio.py", title="Studio", url_path="studio"),
        st.Page("dashboard/pages/simulator.py", title="Simulator", url_path="simulator"),
        st.Page("dashboard/pages/about.py", title="About the data"),
        st.Page("dashboard/pages/accessibility.py", title="Accessibility"),
    ]
)
cache.set_page(page.title)
page.run()
