"""mapping.geo: distances and bounding boxes without GDAL."""
import pytest

from mapping.geo import BBoxError, geo_uri, haversine_m, parse_bbox, web_map_url


def test_haversine_matches_known_distances():
    # Tokyo station to Osaka station: about 403 km along the great circle.
    assert haversine_m(35.681236, 139.767125, 34.702485, 135.495951) == pytest.approx(403_000, rel=0.005)
    # 0.001 degree of latitude is about 111 m anywhere.
    assert haversine_m(36.65, 138.18, 36.651, 138.18) == pytest.approx(111.2, abs=0.5)
    assert haversine_m(36.65, 138.18, 36.65, 138.18) == 0


def test_haversine_is_symmetric():
    assert haversine_m(36.6, 138.1, 36.7, 138.3) == pytest.approx(haversine_m(36.7, 138.3, 36.6, 138.1))


def test_parse_bbox_reads_leaflets_order():
    box = parse_bbox("138.1,36.6,138.3,36.7")
    assert (box.west, box.south, box.east, box.north) == (138.1, 36.6, 138.3, 36.7)
    assert box.contains(36.65, 138.2) and not box.contains(36.8, 138.2)


def test_parse_bbox_clamps_to_the_world():
    box = parse_bbox("-200,-100,200,100")
    assert (box.west, box.south, box.east, box.north) == (-180, -90, 180, 90)


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "138.3,36.6,138.1,36.7", "nan,1,2,3", "1,2,3,inf"])
def test_parse_bbox_refuses_nonsense(bad):
    with pytest.raises(BBoxError):
        parse_bbox(bad)


def test_empty_bbox_means_no_filter():
    assert parse_bbox("") is None and parse_bbox(None) is None


def test_map_links():
    assert geo_uri(36.65123, 138.18456) == "geo:36.651230,138.184560"
    assert geo_uri(36.65, 138.18, "N-0001").endswith("(N-0001)")
    assert web_map_url(36.65, 138.18).startswith("https://maps.gsi.go.jp/#17/36.650000/138.180000")
