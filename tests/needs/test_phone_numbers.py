import pytest
from django.core.exceptions import ValidationError

from ops.normalise import address_key, display_phone, name_key, phone_key, validate_phone


@pytest.mark.parametrize(("typed", "digits"), [
    ("090-1234-5678", "09012345678"),
    ("０９０－１２３４－５６７８", "09012345678"),  # full-width digits and hyphen
    ("090ー1234ー5678", "09012345678"),  # long-vowel mark typed as a hyphen
    ("+81 90 1234 5678", "09012345678"),
    ("+81-(0)90-1234-5678", "09012345678"),
    ("＋８１９０１２３４５６７８", "09012345678"),
    ("026(234)5678", "0262345678"),
    ("0120-123-456", "0120123456"),
    ("0800-123-4567", "08001234567"),
    ("050 1234 5678", "05012345678"),
])
def test_valid_japanese_numbers_are_normalised(typed, digits):
    assert phone_key(typed) == digits
    assert validate_phone(typed) == digits


@pytest.mark.parametrize("typed", [
    "090-1234-567",  # mobile with 10 digits
    "026-234-56789",  # landline with 11 digits
    "90-1234-5678",  # no leading 0
    "0012-345-6789",  # international prefix
    "090-abcd-5678",
    "0120-123-4567",  # 0120 is 10 digits
])
def test_invalid_numbers_are_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as err:
        validate_phone(typed)
    assert err.value.messages[0]


def test_blank_phone_is_allowed_by_the_helper():
    assert validate_phone("  ") == ""


def test_display_phone_keeps_the_typed_grouping_in_half_width():
    assert display_phone("０２６ー２３４－５６７８") == "026-234-5678"


def test_name_key_folds_width_spaces_and_kana():
    assert name_key("ヤマダ　ハナコ") == name_key("やまだ はなこ") == name_key("ﾔﾏﾀﾞ ﾊﾅｺ")


def test_address_key_reads_japanese_address_spellings_alike():
    same = {address_key(a) for a in ("長野県テスト市中央１丁目２番地の３", "テスト市中央1-2-3", "テスト市中央一丁目2番3号",
                                     "テスト市 中央 1ー2ー3")}
    assert len(same) == 1
    assert address_key("テスト市中央1-2-4") not in same
