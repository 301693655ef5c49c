"""WGS-84 ↔ GCJ-02: published reference pairs, and the iterative inverse."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangshi.redsites.geo import distance_m, gcj02_to_wgs84, in_bbox, out_of_china, wgs84_to_gcj02

# (wgs_lat, wgs_lng, gcj_lat, gcj_lng): the reference pairs of the eviltransform test suite,
# https://github.com/googollee/eviltransform/blob/master/python/test.py (TESTS: shanghai,
# shenzhen, beijing), also used by its PHP port (larryli/eviltransform, EvilTransformTest).
REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wlat", "wlng", "glat", "glng"), REFERENCE)
def test_wgs84_to_gcj02_matches_published_reference_points_within_1m(wlat, wlng, glat, glng):
    lat, lng = wgs84_to_gcj02(wlat, wlng)
    assert distance_m(lat, lng, glat, glng) < 1.0
    # and the shift is real: hundreds of metres, not zero
    assert distance_m(wlat, wlng, glat, glng) > 100


@pytest.mark.parametrize(("wlat", "wlng", "glat", "glng"), REFERENCE)
def test_gcj02_to_wgs84_inverts_the_published_points_within_1m(wlat, wlng, glat, glng):
    lat, lng = gcj02_to_wgs84(glat, glng)
    assert distance_m(lat, lng, wlat, wlng) < 1.0


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(min_value=18.2, max_value=53.5), lng=st.floats(min_value=73.7, max_value=134.7))
def test_round_trip_through_gcj02_returns_within_1m_anywhere_in_china(lat, lng):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lng))
    assert distance_m(lat, lng, *back) < 1.0


def test_points_outside_china_are_left_unchanged():
    assert out_of_china(51.4779, -0.0015)  # Greenwich
    assert wgs84_to_gcj02(51.4779, -0.0015) == (51.4779, -0.0015)
    assert gcj02_to_wgs84(51.4779, -0.0015) == (51.4779, -0.0015)


def test_distance_and_bbox():
    # One degree of latitude is about 111.2 km on the mean sphere.
    assert distance_m(30.0, 114.0, 31.0, 114.0) == pytest.approx(111_195, rel=1e-3)
    assert in_bbox(30.5, 114.3, (114.0, 30.0, 115.0, 31.0))
    assert not in_bbox(31.5, 114.3, (114.0, 30.0, 115.0, 31.0))
