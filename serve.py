"""Centrifuge's server: Streamlit's own, run by `streamlit run serve.py` (see Makefile), with one
addition: every HTTP response is compressed.

Streamlit sends its own JavaScript (about 4.6 MB) uncompressed on purpose, leaving compression to a
reverse proxy; on a plain `make run` that made a first visit cost 4.85 MB. Compressed here, the
same visit costs about 1.4 MB. Behind a proxy that compresses, this does no harm: the proxy sees
responses already encoded and passes them on.
"""

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

app = st.App("app.py", middleware=[Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)])
