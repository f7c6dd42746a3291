from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.portal.models import Article, OnlineVisitor, VisitDay
from motcua.portal.visitors import COOKIE, Tally, tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(demo):
    return Article.objects.create(
        title="Sơn La đứng đầu chỉ số CCHC",
        slug="son-la-dung-dau",
        lead="Năm thứ 4 liên tiếp.",
        body="Đoạn một.\n\nĐoạn hai <script>alert(1)</script>.",
        published_at=timezone.now() - timedelta(hours=1),
    )


def test_published_news_is_listed_and_read_drafts_are_not(client, article):
    Article.objects.create(title="Bản nháp", slug="ban-nhap", lead="…", body="…")
    page = client.get("/tin-tuc/").content.decode()
    assert "Sơn La đứng đầu chỉ số CCHC" in page and "Bản nháp" not in page
    assert client.get("/tin-tuc/ban-nhap/").status_code == 404
    body = client.get("/tin-tuc/son-la-dung-dau/").content.decode()
    assert "<p>Đoạn một.</p>" in body and "&lt;script&gt;" in body and "<script>alert" not in body


def test_the_news_can_be_searched(client, article):
    assert [a.slug for a in client.get("/tin-tuc/", {"q": "đứng đầu"}).context["page"]] == ["son-la-dung-dau"]
    assert not client.get("/tin-tuc/", {"q": "không có tin này"}).context["page"].object_list


def test_article_views_are_counted_in_batches(client, article):
    for _ in range(3):
        client.get("/tin-tuc/son-la-dung-dau/")
    article.refresh_from_db()
    # Only the first view is written: the footer's first reading flushed it; the next two wait.
    assert article.view_count == 1
    tally.flush()
    article.refresh_from_db()
    assert article.view_count == 3


def test_a_visit_is_counted_once_by_its_cookie_and_written_only_on_flush(client, demo):
    first = client.get("/thu-tuc/")
    assert COOKIE in first.cookies
    client.get("/tin-tuc/")
    client.get("/tra-cuu/")
    other = client.__class__()
    other.get("/")
    client.get("/api/procedures")  # not a page: not counted
    assert not VisitDay.objects.exists() and not OnlineVisitor.objects.exists()
    tally.flush()
    assert VisitDay.objects.get(day=timezone.localdate()).visits == 2
    assert OnlineVisitor.objects.count() == 2
    figures = Tally().read()
    assert figures == {"online": 2, "today": 2, "week": 2, "total": 2}


def test_the_figures_add_up_days_of_the_week_and_forget_idle_visitors(demo):
    now = timezone.now()
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    VisitDay.objects.create(day=monday - timedelta(days=1), visits=100)
    VisitDay.objects.create(day=monday, visits=7)
    counter = Tally()
    counter.count(None, now - timedelta(minutes=10))
    counter.count(None, now)
    counter.flush(now)
    figures = counter.read(now)
    assert figures["online"] == 1  # the visit idle for ten minutes is gone
    assert figures["today"] == (2 if today != monday else 9)
    assert figures["week"] == 9 and figures["total"] == 109


def test_the_footer_shows_the_counters(client, demo):
    VisitDay.objects.create(day=timezone.localdate(), visits=41)
    page = client.get("/").content.decode()
    assert "Đang truy cập" in page and "<dd>41</dd>" in page


def test_the_demo_portal_has_news_and_an_answered_feedback_made_once(demo):
    from motcua.demo.portal_content import ensure_portal_content
    from motcua.demo.services import ensure_accounts
    from motcua.portal.services import published_articles, published_feedback

    now = timezone.now()
    ensure_accounts(timezone.localdate(now))
    assert ensure_portal_content(now) == 4
    assert ensure_portal_content(now) == 0
    assert published_articles().count() == 3
    answered = published_feedback().get()
    assert answered.unit.code == "04105" and answered.answered_by.username == "lanhdao.maison"
