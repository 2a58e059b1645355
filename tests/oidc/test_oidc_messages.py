"""What the provider shows a person comes out in Arabic from the host's real catalogue.

That every msgid has a translation is checked once, for the whole host, by
``tests/test_translations.py``; here the pages are rendered in Arabic and read.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from gateway.identity.models import Person
from tests.oidc.oidc_flow import add_client, authorization_params, new_pkce, sign_in

ARABIC = {"Accept-Language": "ar"}
ALL_SCOPES = ["openid", "profile", "email", "phone", "national_id"]


def test_the_consent_page_is_in_arabic(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, name="Tawakkalna Demo", scopes=ALL_SCOPES)
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce(), scope=" ".join(ALL_SCOPES))
    response = browser.get("/oidc/authorize", query_string=query, headers=ARABIC)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "الدخول إلى Tawakkalna Demo" in page  # the title
    assert '<h1 id="consent-title">الدخول إلى Tawakkalna Demo عبر بوابة</h1>' in page
    assert "يطلب Tawakkalna Demo استخدام حسابك في بوابة. إذا سمحت له، فسيحصل على:" in page
    for label, detail in (
        ("تسجيل دخولك", "معرّف خاص بحسابك، وليس رقم هويتك أبدًا."),
        ("اسمك وتاريخ ميلادك", "اسمك الأول واسم عائلتك بالعربية والإنجليزية، وتاريخ ميلادك."),
        ("بريدك الإلكتروني", "عنوان البريد الإلكتروني المسجل في حسابك، وهل تم تأكيده."),
        ("رقم جوالك", "رقم الجوال المسجل في حسابك، والذي تم تأكيده برمز تحقق لمرة واحدة."),
        ("رقم هويتك الوطنية أو إقامتك", "رقم هويتك، وهل هو هوية وطنية أم إقامة."),
    ):
        assert f"<h2>{label}</h2>" in page, label
        assert f"<p>{detail}</p>" in page, detail
    assert "بعد اختيارك ستعود إلى:" in page
    assert "إذا سمحت له، فلن تسألك بوابة مرة أخرى ما لم يطلب التطبيق بيانات إضافية." in page
    assert 'value="allow">السماح</button>' in page
    assert 'value="deny">الرفض</button>' in page
    # Only the scopes' line in the other language is English; nothing else is left untranslated.
    assert 'lang="en" dir="ltr">Your national ID or iqama number: ' in page
    for english in (
        "with Bawaba",
        "is asking to use",
        "After you choose",
        "will not ask you again",
        ">Allow<",
        ">Deny<",
    ):
        assert english not in page, f"{english!r} was left in English"


def test_a_link_that_cannot_be_used_is_explained_in_arabic(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    unknown = authorization_params(rp, new_pkce(), client_id="bwb_not-registered")
    refused = browser.get("/oidc/authorize", query_string=unknown, headers=ARABIC)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "لا يمكن استخدام رابط الدخول هذا" in page
    assert "التطبيق الذي أرسلك إلى هنا غير مسجل في بوابة، أو طلب إعادتك إلى عنوان لم يسجله." in page
    assert "cannot be used" not in page

    query = authorization_params(rp, new_pkce())
    undecided = browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "maybe"}, headers=ARABIC)
    assert undecided.status_code == 400
    assert "يرجى اختيار «السماح» أو «الرفض»." in undecided.get_data(as_text=True)
