"""Seed specifications, one module per department (expanded by seed/build_seed.py)."""
from __future__ import annotations

from seed.specs import (
    d101_market, d102_police, d103_tax, d104_hrss, d105_civil, d106_health, d107_land, d108_ecology,
    d109_housing, d110_education, d111_transport, d112_medicare, d113_emergency, d114_development,
    d115_statistics, d116_commerce, d117_bigdata, d118_justice, d119_agriculture, d120_water,
    d121_culture, d122_veterans, d123_finance, d124_enforcement, d125_housing_fund, d126_disabled,
)

ALL_DEPARTMENTS = (
    d101_market, d102_police, d103_tax, d104_hrss, d105_civil, d106_health, d107_land, d108_ecology,
    d109_housing, d110_education, d111_transport, d112_medicare, d113_emergency, d114_development,
    d115_statistics, d116_commerce, d117_bigdata, d118_justice, d119_agriculture, d120_water,
    d121_culture, d122_veterans, d123_finance, d124_enforcement, d125_housing_fund, d126_disabled,
)
