"""Papers of agenda items: an uploaded PDF (really a PDF, within the size limit, kept through
the storage API, served only to readers of its item) or a plan's progress report as at a day;
and the agenda pack made of the agenda and every paper the reader may see, with the pages
each item's papers really take."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from meetings import services
from meetings.models import AgendaPaper
from plans.models import Membership
from tests.conftest import count_queries
from tests.factories import make_membership, make_plan, make_user
from tests.helpers import text_of
from tests.meetings.pdfs import blank_pdf
from tests.meetings.test_documents import pdf_text

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name: str = "Serious crime report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored() -> set[str]:
    return set(default_storage.listdir("papers")[1]) if default_storage.exists("papers") else set()


@pytest.fixture
def item(meeting, media):
    return services.add_agenda_item(meeting=meeting, code="B1", title="Serious crime", by=None)


@pytest.fixture
def secret_item(meeting, media):
    return services.add_agenda_item(
        meeting=meeting, code="D2", title="Case review", restricted=True, by=None
    )


# The service.


def test_an_uploaded_pdf_is_kept_through_the_storage_with_its_pages(item, coordinator):
    content = blank_pdf(3)
    paper = services.upload_paper(item=item, upload=_upload(content), by=coordinator)
    assert paper.page_count == 3
    assert paper.title == "Serious crime report"
    assert paper.filename == "Serious crime report.pdf"
    # Stored under a name of its own, never the uploader's.
    assert "Serious" not in paper.file.name
    assert default_storage.exists(paper.file.name)
    with default_storage.open(paper.file.name, "rb") as stored:
        assert stored.read() == content
    assert paper.history.get().history_user == coordinator


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Dear all, the report follows.", "The file is not a PDF."),
        (b"%PDF-1.7\nnot really a pdf at all", "The PDF is damaged and cannot be read."),
        (b"<html>%PDF-1.4</html>", "The file is not a PDF."),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_and_nothing_kept(
    item, coordinator, content, message
):
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        services.upload_paper(item=item, upload=_upload(content, "report.pdf"), by=coordinator)
    assert message in refused.value.message_dict["file"][0]
    assert not AgendaPaper.objects.exists()
    assert _stored() == before


def test_a_paper_over_the_size_limit_is_refused_with_its_size(item, coordinator, settings):
    settings.MEETING_PAPER_MAX_MB = 1
    big = blank_pdf(1) + b"\n%" + b"x" * (1024 * 1024 + 10)
    with pytest.raises(ValidationError) as refused:
        services.upload_paper(item=item, upload=_upload(big), by=coordinator)
    assert refused.value.message_dict["file"] == [
        "The file is 1.0 MB: a paper must be smaller than 1 MB."
    ]
    assert not AgendaPaper.objects.exists()


def test_a_progress_report_is_attached_as_at_a_day_gone(item, coordinator, plan):
    day = datetime.date(2015, 12, 1)
    paper = services.attach_progress_report(item=item, plan=plan, as_at=day, by=coordinator)
    assert paper.title == f"{plan.title}: progress as at 1 December 2015"
    assert paper.get_absolute_url().endswith("progress.pdf?on=2015-12-01")
    with pytest.raises(ValidationError) as refused:
        services.attach_progress_report(
            item=item, plan=plan, as_at=datetime.date(2999, 1, 1), by=coordinator
        )
    assert "still to come" in refused.value.message_dict["as_at"][0]


def test_another_partnerships_plan_is_refused_as_a_paper(item, coordinator):
    elsewhere = make_plan()
    with pytest.raises(ValidationError) as refused:
        services.attach_progress_report(
            item=item, plan=elsewhere, as_at=datetime.date(2015, 12, 1), by=coordinator
        )
    assert refused.value.message_dict["plan"] == ["Choose a plan of this partnership."]


# The pages.


def test_a_coordinator_uploads_a_paper_from_the_items_page(coordinator_client, item, meeting):
    url = reverse("meetings:papers", args=[item.pk])
    page = text_of(coordinator_client.get(url))
    assert "Papers for item B1: Serious crime" in page
    response = coordinator_client.post(
        url, {"upload-file": _upload(blank_pdf(2)), "upload-title": "Serious and organised crime"}
    )
    assert response.status_code == 302
    paper = AgendaPaper.objects.get(item=item)
    assert paper.title == "Serious and organised crime"
    meeting_page = text_of(coordinator_client.get(meeting.get_absolute_url()))
    assert "Serious and organised crime (PDF, 2 pages)" in meeting_page


def test_a_bad_upload_is_shown_again_with_a_clear_message(coordinator_client, item):
    url = reverse("meetings:papers", args=[item.pk])
    response = coordinator_client.post(url, {"upload-file": _upload(b"GIF89a", "photo.pdf")})
    assert response.status_code == 422
    page = text_of(response)
    assert "There is a problem" in page
    assert "The file is not a PDF. Choose a PDF file." in page
    response = coordinator_client.post(url, {})
    assert response.status_code == 422
    assert "Choose a PDF file to upload" in text_of(response)
    assert not AgendaPaper.objects.exists()


def test_a_progress_report_is_attached_from_the_items_page(coordinator_client, item, plan):
    url = reverse("meetings:paper-progress", args=[item.pk])
    refused = coordinator_client.post(url, {"progress-plan": plan.pk, "progress-as_at": ""})
    assert refused.status_code == 422
    assert "Enter the day the report is as at" in text_of(refused)
    elsewhere = make_plan()
    refused = coordinator_client.post(
        url, {"progress-plan": elsewhere.pk, "progress-as_at": "2015-12-01"}
    )
    assert refused.status_code == 422
    assert "Select a valid choice" in text_of(refused)
    response = coordinator_client.post(
        url, {"progress-plan": plan.pk, "progress-as_at": "2015-12-01"}
    )
    assert response.status_code == 302
    assert AgendaPaper.objects.get(item=item).as_at == datetime.date(2015, 12, 1)


def test_removing_a_paper_keeps_its_history(coordinator_client, item, coordinator):
    paper = services.upload_paper(item=item, upload=_upload(blank_pdf()), by=coordinator)
    response = coordinator_client.post(reverse("meetings:paper-removal", args=[paper.pk]))
    assert response.status_code == 302
    assert not AgendaPaper.objects.exists()
    assert AgendaPaper.history.filter(id=paper.pk, history_type="-").get().history_user == (
        coordinator
    )


# Who may read a paper.


def test_a_paper_is_served_to_its_items_readers(client, item, coordinator):
    content = blank_pdf(2)
    paper = services.upload_paper(item=item, upload=_upload(content), by=coordinator)
    response = client.get(reverse("meetings:paper", args=[paper.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == content
    assert 'filename="Serious crime report.pdf"' in response["Content-Disposition"]


def test_a_restricted_items_paper_never_reaches_who_may_not_see_it(
    client, secret_item, coordinator, councillor, partnership
):
    paper = services.upload_paper(item=secret_item, upload=_upload(blank_pdf()), by=coordinator)
    url = reverse("meetings:paper", args=[paper.pk])
    assert client.get(url).status_code == 404  # the public
    client.force_login(councillor)
    assert client.get(url).status_code == 404
    granted = make_user()
    make_membership(
        user=granted, partnership=partnership, role=Membership.Role.COUNCILLOR, sees_restricted=True
    )
    client.force_login(granted)
    assert client.get(url).status_code == 200


def test_a_paper_of_an_unpublished_meeting_is_for_members_only(
    client, body, coordinator, councillor, media
):
    draft = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    item = services.add_agenda_item(meeting=draft, title="Draft", by=None)
    paper = services.upload_paper(item=item, upload=_upload(blank_pdf()), by=coordinator)
    url = reverse("meetings:paper", args=[paper.pk])
    assert client.get(url).status_code == 404
    client.force_login(councillor)
    assert client.get(url).status_code == 200


# The pack.


def _pack(client, meeting) -> bytes:
    response = client.get(reverse("reports:agenda-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content


def _pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def test_the_pack_is_the_agenda_then_each_papers_pages(
    client, meeting, item, secret_item, coordinator
):
    services.upload_paper(item=item, upload=_upload(blank_pdf(3)), by=coordinator)
    services.upload_paper(item=secret_item, upload=_upload(blank_pdf(2)), by=coordinator)
    later = services.add_agenda_item(meeting=meeting, code="B2", title="Later item", by=None)
    services.upload_paper(item=later, upload=_upload(blank_pdf(1)), by=coordinator)
    # The public: the agenda, then B1's 3 pages and B2's 1; the restricted item's 2 are absent.
    public = _pack(client, meeting)
    assert _pages(public) == 1 + 3 + 1
    text = pdf_text(client.get(reverse("reports:agenda-pdf", args=[meeting.pk])))
    assert "B1 Serious crime Pages 2 - 4" in text
    assert "B2 Later item Page 5" in text
    assert "Case review" not in text
    # The coordinator: the restricted item (second on the agenda) and its paper too.
    client.force_login(coordinator)
    member = client.get(reverse("reports:agenda-pdf", args=[meeting.pk]))
    assert _pages(member.content) == 1 + 3 + 2 + 1
    text = pdf_text(member)
    assert "B1 Serious crime Pages 2 - 4" in text
    assert "D2 Case review (restricted – not for publication) Pages 5 - 6" in text
    assert "B2 Later item Page 7" in text


def test_a_progress_report_paper_is_numbered_as_pages_of_the_pack(
    client, meeting, item, coordinator, published_plan
):
    services.upload_paper(item=item, upload=_upload(blank_pdf(2)), by=coordinator)
    services.attach_progress_report(
        item=item, plan=published_plan, as_at=datetime.date(2015, 12, 1), by=coordinator
    )
    text = pdf_text(client.get(reverse("reports:agenda-pdf", args=[meeting.pk])))
    assert f"{published_plan.title}: progress as at 1 December 2015" in text
    # The agenda is page 1, the upload pages 2-3, the report from page 4.
    assert "Item B1: Serious crime" in text
    assert "Page 4" in text
    match = "B1 Serious crime Pages 2 - "
    assert match in text


def test_a_progress_report_of_a_plan_the_reader_may_not_see_is_left_out(
    client, meeting, item, coordinator, plan
):
    services.attach_progress_report(
        item=item, plan=plan, as_at=datetime.date(2015, 12, 1), by=coordinator
    )
    public = client.get(reverse("reports:agenda-pdf", args=[meeting.pk]))
    assert _pages(public.content) == 1
    assert plan.title not in pdf_text(public)
    assert plan.title not in text_of(client.get(meeting.get_absolute_url()))


def test_the_meeting_pages_queries_do_not_grow_with_papers(board_client, meeting, coordinator):
    def add(n):
        for i in range(n):
            item = services.add_agenda_item(meeting=meeting, title=f"Item {n}-{i}", by=None)
            services.upload_paper(item=item, upload=_upload(blank_pdf()), by=coordinator)
            services.attach_progress_report(
                item=item,
                plan=make_plan(partnership=meeting.body.partnership),
                as_at=datetime.date(2015, 12, 1),
                by=coordinator,
            )

    add(1)
    url = meeting.get_absolute_url()
    one = count_queries(board_client, url)
    add(10)
    assert count_queries(board_client, url) == one


def test_the_items_papers_page_has_a_flat_query_count(coordinator_client, item, coordinator):
    services.upload_paper(item=item, upload=_upload(blank_pdf()), by=coordinator)
    url = reverse("meetings:papers", args=[item.pk])
    one = count_queries(coordinator_client, url)
    for _ in range(10):
        services.upload_paper(item=item, upload=_upload(blank_pdf()), by=coordinator)
        services.attach_progress_report(
            item=item,
            plan=make_plan(partnership=item.meeting.body.partnership),
            as_at=datetime.date(2015, 12, 1),
            by=coordinator,
        )
    assert count_queries(coordinator_client, url) == one


def test_publishing_says_which_papers_the_public_will_read(
    coordinator_client, body, coordinator, media
):
    draft = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    open_item = services.add_agenda_item(meeting=draft, title="Open", by=None)
    secret = services.add_agenda_item(meeting=draft, title="Exempt", restricted=True, by=None)
    services.upload_paper(item=open_item, upload=_upload(blank_pdf()), by=coordinator)
    services.upload_paper(item=secret, upload=_upload(blank_pdf()), by=coordinator)
    page = text_of(coordinator_client.get(reverse("meetings:publication", args=[draft.pk])))
    assert "the uploaded papers of its open items: 1" in page
    assert "1 uploaded paper of restricted items" in page


def test_a_password_protected_pdf_is_refused(item, coordinator):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as refused:
        services.upload_paper(item=item, upload=_upload(out.getvalue()), by=coordinator)
    assert "protected by a password" in refused.value.message_dict["file"][0]
