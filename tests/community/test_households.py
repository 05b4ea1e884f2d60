"""Buildings and households of a community, and members placed in them."""

from __future__ import annotations


def test_buildings_households_and_members(make):
    t = make.tenant()
    c = t.community()
    other = t.community()
    b = t.post(f"/communities/{c['id']}/buildings", {"name": "3幢", "floors": 18})
    h = t.post(f"/buildings/{b['id']}/households",
               {"unit_no": "2单元502", "unit_type": "两室一厅", "family_structure": "with_children"})
    assert t.client.get(f"/api/v1/communities/{c['id']}/buildings", headers=t.op).json()["items"] == [b]
    assert t.client.get(f"/api/v1/buildings/{b['id']}/households", headers=t.op).json()["items"] == [h]
    m = t.post("/members", {"username": "zhang", "password": "password-1", "name": "张阿姨", "phone": "13800001111",
                            "community_id": c["id"], "household_id": h["id"]})
    assert m["household_id"] == h["id"]
    elsewhere = t.client.post("/api/v1/members", headers=t.op, json={
        "username": "li", "password": "password-1", "name": "李", "phone": "13800001112",
        "community_id": other["id"], "household_id": h["id"]})
    assert elsewhere.status_code == 422 and elsewhere.json()["error"]["code"] == "household_elsewhere"
    bad = t.client.post(f"/api/v1/buildings/{b['id']}/households", headers=t.op,
                        json={"unit_no": "1", "unit_type": "城堡", "family_structure": "with_children"})
    assert bad.status_code == 422
    assert t.client.post("/api/v1/communities/999999/buildings", headers=t.op, json={"name": "1幢"}).status_code == 404


def test_a_building_stands_where_given_or_at_its_community(make, db):
    from linli.community.service import building_places

    t = make.tenant()
    c = t.post("/communities", {"name": "枫林苑", "address": "枫林路1号", "lat": 30.25, "lng": 120.15})
    placed = t.post(f"/communities/{c['id']}/buildings", {"name": "1幢", "lat": 30.2512, "lng": 120.1503})
    unplaced = t.post(f"/communities/{c['id']}/buildings", {"name": "2幢"})
    assert (placed["lat"], placed["lng"], unplaced["lat"]) == (30.2512, 120.1503, None)
    r = t.client.post(f"/api/v1/communities/{c['id']}/buildings", json={"name": "3幢", "lat": 30.25}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "partial_location"
    with db.unit_of_work() as s:
        places = building_places(s, t.tenant_id)
    assert [(p.building_id, p.name, p.lat, p.lng) for p in places.values() if p.community_id == c["id"]] == [
        (placed["id"], "1幢", 30.2512, 120.1503), (unplaced["id"], "2幢", 30.25, 120.15)]
