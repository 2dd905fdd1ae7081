"""The accessibility statement: what works, how it was checked, and what does not work yet."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Accessibility · Centrifuge")
st.title("Accessibility")
st.markdown(
    """
Centrifuge should be usable by everyone who needs to know who runs their public services,
including people who use a keyboard, a screen reader, magnification or high contrast, and people
who do not tell colours apart.

**What you can do**

- **Use the map from the keyboard.** The map is one stop in the tab order, named "Map of 361
  areas". On it, the arrow keys move from area to area (each is announced with its holder), Enter
  or Space opens the area's card, and plus and minus zoom. Search finds an area by postcode, GSS
  code or name without the map at all.
- **Read the map as a table.** Under the map, the table of every area holds what the map shows,
  and can be sorted and searched; the CSV and GeoJSON downloads hold it too.
- **Tell holders apart without colour.** Neighbouring holders never share a colour. The six
  colours (the Government Analysis Function's colour-blind-safe palette) each stand at least
  3:1 against white; each holder's territory has its own white border; the key lists every
  holder by name with a number, and "Highlight one holder" dims all the others. Map downloads
  (PNG, SVG, PDF) put each number on the map.
- **Zoom the page.** The page reflows down to 390 pixels wide; the area's card keeps its dates
  whole.
- Every page has its own title; the atlas's title names the service and the focus.

**How this was checked**

Automated tests drive the app in headless Chromium: they count the map's tab stops, open a card
with the keyboard alone, and check that names are announced. Colours are checked for contrast
in the tests. Centrifuge has not yet been audited by people who use assistive technology.

**What does not work yet**

- The map on the studio page is for sketching with a mouse: the studio's keyboard route is its
  "Edit lots as a table" grid and the group buttons.
- Parts of the page come from Streamlit, the framework Centrifuge is built with, and follow its
  own accessibility; we report what we find there upstream.

**Tell us** if something does not work for you: open an issue in the project's repository, and
say what you were trying to do and with what browser and assistive technology.
"""
)
