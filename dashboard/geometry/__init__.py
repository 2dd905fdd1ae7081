"""Building LAD boundaries of every vintage from official small-area geometry (offline only).

:mod:`~dashboard.geometry.official` dissolves ONS LSOAs and NISRA Small Areas into districts by
the postcodes inside them; :mod:`~dashboard.geometry.pieces` labels each piece with its area in
every vintage and unions the pieces into the boundary files. The app never imports these.
"""
