"""The developer outbox page and its labels come out in Arabic from the host's real catalogue.

That every msgid has a translation is checked once, for the whole host, by
``tests/test_translations.py``; here the page is rendered in Arabic and read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from sqlalchemy import text, update

from gateway.messaging import OutboxMessage, queue_message
from gateway.messaging.models import FAILED, SENT

ARABIC = {"Accept-Language": "ar"}


def test_the_outbox_page_and_its_labels_are_in_arabic(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    with app.extensions["gateway"].database.session_factory() as session:
        sms = queue_message(  # not handed to the worker: it stays queued for the page to show
            session,
            channel="sms",
            recipient="0551234567",
            body="رمز التحقق: 731902",
            purpose="registration",
            dispatch=False,
        )
        email = queue_message(
            session,
            channel="email",
            recipient="citizen@example.com",
            subject="Reset",
            body="118822",
            purpose="password_reset",
        )
        failed = queue_message(session, channel="sms", recipient="0551234567", body="1", purpose="sign_in")
        session.flush()
        session.execute(update(OutboxMessage).where(OutboxMessage.id == email.id).values(status=SENT))
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == failed.id)
            .values(status=FAILED, attempts=5, last_error="provider said no")
        )
        session.commit()
        sms_id = sms.id

    response = app.test_client().get("/dev/outbox", headers=ARABIC)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "صندوق الصادر للمطورين" in page  # title and heading
    assert "الرسائل النصية ورسائل البريد الإلكتروني التي أرسلتها البوابة أو ستُرسلها، الأحدث أولًا." in page
    assert "فهي تعرض رموز التحقق، لذلك لا تتاح أبدًا في بيئة التشغيل." in page
    assert "أحدث الرسائل، الأحدث أولًا" in page
    for heading in ("الوقت", "القناة", "المستلم", "الغرض", "الرسالة", "الحالة", "المحاولات"):
        assert f'<th scope="col">{heading}</th>' in page
    for label in ("رسالة نصية", "البريد الإلكتروني", "التسجيل", "استعادة كلمة المرور", "تسجيل الدخول"):
        assert re.search(rf"<td data-label=\"[^\"]+\">{label}</td>", page), label
    for status in ("في قائمة الانتظار", "أُرسلت", "تعذّر الإرسال"):
        assert status in page
    assert '<span class="visually-hidden">آخر خطأ:</span>' in page
    assert "رمز التحقق: 731902" in page and f'id="message-{sms_id}"' in page
    for english in ("Developer outbox", "Recipient", "Password reset", "Queued", "Failed", "Last error:"):
        assert english not in page, f"{english!r} was left in English"


def test_the_empty_and_missing_table_outbox_pages_are_in_arabic(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    browser = app.test_client()
    assert "<p>صندوق الصادر فارغ.</p>" in browser.get("/dev/outbox", headers=ARABIC).get_data(as_text=True)

    with app.extensions["gateway"].database.engine.begin() as connection:
        connection.execute(text("DROP TABLE outbox_messages"))
    response = browser.get("/dev/outbox", headers=ARABIC)
    assert response.status_code == 503
    assert "جدول صندوق الصادر غير موجود بعد. شغّل الأمر “gateway db upgrade” أولًا." in response.get_data(as_text=True)
