"""POST /api/v1/shops/<id>/ping: the plugin's "Test connection" button."""
from tests.web.api.answers import assert_error


def test_it_answers_ok_with_the_shop_and_the_service_time_for_an_empty_or_empty_object_body(app, bridge, shop_a,
                                                                                           frozen_clock):
    for body in (b"", b"{}"):
        response = bridge.post(shop_a, "ping", body)

        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json() == {"status": "ok", "shop": {"id": shop_a.id, "name": "Shop A"},
                                       "service_time": "2026-11-22T12:00:00Z"}


def test_it_ignores_unknown_fields_so_a_newer_plugin_can_send_more(app, bridge, shop_a):
    response = bridge.post(shop_a, "ping", {"plugin_version": "1.2.0", "wordpress": "6.9"})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_it_answers_400_naming_the_body_when_it_is_not_a_json_object(app, bridge, shop_a):
    for body in (b"{not json", b"[]", b'"ping"', b"null"):
        assert_error(bridge.post(shop_a, "ping", body), 400, "body")


def test_it_answers_405_for_a_get(app, bridge, shop_a):
    response = bridge.get(shop_a, "ping")
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}  # RFC 9110: a 405 names the methods the URL takes
