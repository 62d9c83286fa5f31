import pytest

from odoo.addons.b2b_connector_base.lib import crypto, masking


def test_encrypt_decrypt_and_ciphertext_hides_secret():
    box = crypto.SecretBox(crypto.generate_key())
    token = box.encrypt("hunter2-password")
    assert token.startswith("fernet:") and "hunter2" not in token
    assert box.decrypt(token) == "hunter2-password"
    assert box.encrypt("") is False and box.decrypt(False) is False


def test_wrong_key_gives_clear_error_without_leaking():
    token = crypto.SecretBox(crypto.generate_key()).encrypt("pw")
    with pytest.raises(crypto.SecretDecryptError) as err:
        crypto.SecretBox(crypto.generate_key()).decrypt(token)
    assert token not in str(err.value) and "key" in str(err.value)


def test_key_rotation():
    old, new = crypto.generate_key(), crypto.generate_key()
    token = crypto.SecretBox(old).encrypt("pw")
    rotated_box = crypto.SecretBox(f"{new},{old}")
    assert rotated_box.decrypt(token) == "pw"
    rotated = rotated_box.rotate(token)
    assert crypto.SecretBox(new).decrypt(rotated) == "pw"


def test_missing_or_invalid_key():
    with pytest.raises(crypto.SecretKeyMissing) as err:
        crypto.SecretBox.from_config(None, environ={})
    assert "b2b_secret_key" in str(err.value)
    with pytest.raises(crypto.SecretKeyMissing):
        crypto.SecretBox("not-a-key")
    assert crypto.SecretBox.from_config(None, environ={"B2B_SECRET_KEY": crypto.generate_key()})


def test_masking():
    assert masking.mask_headers({"X-BLToken": "t", "Accept": "x"}) == {"X-BLToken": "***", "Accept": "x"}
    url = masking.mask_url("https://user:pw@shop.example/wp-json/wc/v3/orders?consumer_key=ck_1&page=2")
    assert "pw" not in url and "ck_1" not in url and "page=2" in url
    assert masking.mask_text("a secret123 b", ["secret123"]) == "a *** b"
    assert masking.truncate("x" * 50, 10).startswith("x" * 10)
