"""Checks shared by the API tests: every error is JSON `{"error": ...}`, naming the field when there is one."""


def assert_error(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body.get("error"), str) and body["error"]
    if field is not None:
        assert body.get("field") == field, body
    return body
