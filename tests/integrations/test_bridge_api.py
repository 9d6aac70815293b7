"""BridgeClient against a stand-in of the bridge's replies route: a real HTTP server on 127.0.0.1 that checks
each signature with the `standardwebhooks` package itself (not with our signing code) and, like the bridge,
keeps one comment per webhook-id (SPEC section 6, "Bridge route")."""
import socket

import pytest

from crisisdesk.integrations.bridge_api import BridgeClient, BridgeError, BridgeTimeout
from crisisdesk.models import new_shared_secret
from tests.bridge_standin import ROUTE, BridgeRoute


@pytest.fixture
def secret():
    return new_shared_secret()


@pytest.fixture
def route(secret):
    started = BridgeRoute(secret).start()
    yield started
    started.stop()


def client_for(route, secret, **options):
    return BridgeClient(route.url + "/", secret, **{"timeout": 2, **options})


def test_it_posts_a_signed_reply_and_returns_the_comment_id(route, secret):
    comment_id = client_for(route, secret).post_reply(5, "Przepraszamy — naprawimy to. Ļoti žēl!", "msg_reply_1")

    assert comment_id == 700
    (headers, payload), = route.received
    assert payload == {"review_id": 5, "content": "Przepraszamy — naprawimy to. Ļoti žēl!"}
    assert headers["webhook-id"] == "msg_reply_1" and headers["Content-Type"].startswith("application/json")


def test_it_gets_the_same_comment_back_when_the_same_webhook_id_is_sent_again(route, secret):
    client = client_for(route, secret)

    first = client.post_reply(5, "Sorry!", "msg_same")
    again = client.post_reply(5, "Sorry!", "msg_same")  # signed afresh: a new timestamp, the same id

    assert first == again == 700
    assert route.comments == {"msg_same": 700}
    assert client.post_reply(5, "Another reply", "msg_other") == 701


def test_it_fails_permanently_when_the_bridge_holds_another_secret(route):
    with pytest.raises(BridgeError) as error:
        client_for(route, new_shared_secret()).post_reply(5, "Sorry!", "msg_wrong_secret")

    assert (error.value.status, error.value.code, error.value.permanent) == (401, "crisisdesk_bad_signature", True)
    assert route.received == []


@pytest.mark.parametrize("status, permanent", [(400, True), (403, True), (404, True), (410, True), (408, False),
                                               (409, False), (429, False), (500, False), (502, False),
                                               (503, False)])
def test_it_marks_4xx_answers_permanent_except_408_409_429_and_5xx_transient(route, secret, status, permanent):
    route.answer_next("status", status, {"code": "crisisdesk_test", "message": "said no", "data": {"status": status}})

    with pytest.raises(BridgeError) as error:
        client_for(route, secret).post_reply(5, "Sorry!", "msg_status")

    assert (error.value.status, error.value.permanent, error.value.outcome_unknown) == (status, permanent, False)
    assert (error.value.code, error.value.message) == ("crisisdesk_test", "said no")


def test_it_reports_a_proxy_error_page_as_transient_without_a_wordpress_code(route, secret):
    route.answer_next("page", 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>")

    with pytest.raises(BridgeError) as error:
        client_for(route, secret).post_reply(5, "Sorry!", "msg_proxy")

    assert (error.value.status, error.value.code, error.value.permanent, error.value.outcome_unknown) == (
        502, None, False, False)
    assert "without a WordPress error" in error.value.message


def test_it_marks_a_timeout_after_sending_as_outcome_unknown(route, secret):
    route.answer_next("slow", 2.0)

    with pytest.raises(BridgeTimeout) as error:
        client_for(route, secret, timeout=0.5).post_reply(5, "Sorry!", "msg_slow")

    assert (error.value.outcome_unknown, error.value.permanent) == (True, False)
    assert route.comments == {"msg_slow": 700}  # the reply was made: only the same webhook-id may try again
    assert client_for(route, secret).post_reply(5, "Sorry!", "msg_slow") == 700


def test_it_marks_a_connection_dropped_after_sending_as_outcome_unknown(route, secret):
    route.answer_next("drop")

    with pytest.raises(BridgeTimeout) as error:
        client_for(route, secret).post_reply(5, "Sorry!", "msg_drop")

    assert error.value.outcome_unknown and route.comments == {"msg_drop": 700}


def test_it_marks_a_2xx_without_a_comment_id_as_outcome_unknown(route, secret):
    route.answer_next("raw", 200, b"<br />Notice: something in PHP<br />{\"comment_id\": 700}")

    with pytest.raises(BridgeTimeout) as error:
        client_for(route, secret).post_reply(5, "Sorry!", "msg_notice")
    assert error.value.outcome_unknown

    for body in (b'{"comment_id": "seven"}', b"{}", b""):
        route.answer_next("raw", 200, body)
        with pytest.raises(BridgeTimeout):
            client_for(route, secret).post_reply(5, "Sorry!", "msg_odd_answer")


def test_it_fails_transiently_and_knows_nothing_was_sent_when_nobody_listens(secret):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens there

    with pytest.raises(BridgeError) as error:
        BridgeClient(f"http://127.0.0.1:{port}", secret, timeout=2).post_reply(5, "Sorry!", "msg_closed")

    assert type(error.value) is BridgeError
    assert (error.value.permanent, error.value.outcome_unknown, error.value.status) == (False, False, None)


def test_it_never_follows_a_redirect(route, secret):
    route.answer_next("redirect", f"{route.url}/elsewhere{ROUTE}?token=abc")

    with pytest.raises(BridgeError) as error:
        client_for(route, secret).post_reply(5, "Sorry!", "msg_redirect")

    assert (error.value.status, error.value.code, error.value.permanent) == (301, "crisisdesk_redirected", True)
    assert "token" not in error.value.message and "/elsewhere" in error.value.message
    assert route.received == [] and route.faults == []  # the target was never asked


def test_it_refuses_a_url_without_a_scheme_as_permanent(secret):
    with pytest.raises(BridgeError) as error:
        BridgeClient("shop.example", secret).post_reply(5, "Sorry!", "msg_url")
    assert error.value.permanent


def test_it_keeps_the_secret_out_of_its_repr_and_its_errors(route, secret):
    client = client_for(route, secret)
    route.answer_next("status", 500, {"code": "internal_server_error", "message": "critical", "data": {}})

    with pytest.raises(BridgeError) as error:
        client.post_reply(5, "Sorry!", "msg_repr")

    assert secret not in repr(client) and "secret=***" in repr(client)
    assert secret not in str(error.value) and secret not in repr(error.value)
