"""Coordinates: sites are stored in WGS-84 (what GPS and browser geolocation give);
Chinese map services (AutoNavi/Gaode, Tencent, Google China) draw in GCJ-02, an
obfuscated datum required by the national surveying rules. The forward transform is
the published one (Krasovsky ellipsoid constants); the inverse has no closed form, so
it is solved by fixed-point iteration until the round trip is within a few centimetres.
"""

import math

_A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it
_EE = 0.00669342162296594323  # its first eccentricity squared
EARTH_RADIUS_M = 6371008.8  # mean radius, for distances


def out_of_china(lat: float, lng: float) -> bool:
    """GCJ-02 leaves coordinates outside mainland China's bounding box as they are."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees) at a WGS-84 point."""
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float, *, tolerance_m: float = 0.01, max_steps: int = 30) -> tuple[float, float]:
    """Invert wgs84_to_gcj02 by iteration: guess, shift forward, correct by the miss.
    The offset varies slowly (a few hundred metres over the country), so each step
    shrinks the miss by orders of magnitude; 2–4 steps reach centimetres."""
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _ in range(max_steps):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        miss_lat, miss_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - miss_lat, w_lng - miss_lng
        if distance_m(g_lat, g_lng, lat, lng) < tolerance_m:
            break
    return w_lat, w_lng


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def in_bbox(lat: float, lng: float, bbox: tuple[float, float, float, float]) -> bool:
    """bbox as GeoJSON orders it: (west, south, east, north)."""
    west, south, east, north = bbox
    return south <= lat <= north and west <= lng <= east
