"""The coordinator records meetings: the meeting, attendance, agenda, declarations, minutes,
actions arising and their outcomes, and where minute numbers start.

Each view: load through visible_to (404), ask permissions.can_record_meetings (403), validate,
call a service, then redirect after a plain POST or send htmx the section it changed. The
forms on the meeting page are plain POST forms first; htmx only saves the reload.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from csp_tracker import permissions
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from csp_tracker.limits import accepts_body
from meetings import forms, pages, services
from meetings.models import AgendaItem, AgendaPaper, Attendance, Meeting, MeetingAction, Minute
from meetings.views import reading


def _may_record(request, partnership_id) -> None:
    if not permissions.can_record_meetings(request.user, partnership_id):
        raise PermissionDenied


def _meeting(request, pk) -> Meeting:
    meeting = reading.visible_meeting(request, pk)
    _may_record(request, meeting.body.partnership_id)
    return meeting


def _section(request, meeting, section: str, *, form_name=None, form=None, saved=""):
    """After a form on the meeting page: htmx gets its section back; a plain POST goes back to
    the page, or sees the page again with the form's errors."""
    failed = form is not None and form.errors
    if not failed and not request.htmx:
        if saved:
            messages.success(request, saved)
        return redirect(f"{meeting.get_absolute_url()}#{section}")
    bound = {form_name: form} if failed else {}
    context = reading.meeting_context(request, meeting, bound=bound)
    context["saved"] = "" if failed else saved
    template = f"meetings/detail.html#{section}" if request.htmx else "meetings/detail.html"
    return render(request, template, context, status=form_status(form) if form else 200)


@login_required
@require_http_methods(["GET", "POST"])
def create(request, pk):
    """Record a meeting of a body: one to come, or one already held."""
    body = reading.visible_body(request, pk)
    _may_record(request, body.partnership_id)
    form = forms.MeetingForm(posted(request), initial={"status": Meeting.Status.SCHEDULED})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                body=body, by=request.user, **form.service_arguments()
            )
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, "The meeting has been recorded.")
            return redirect(meeting)
    context = {"nav": "partnerships", "body": body, "form": form, "meeting": None}
    return render(request, "meetings/meeting_form.html", context, status=form_status(form))


def _meeting_initial(meeting) -> dict:
    return {name: getattr(meeting, name) for name in services.MEETING_FIELDS} | {
        "version": meeting.version
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Change when and where a meeting is, whether it was held and when it concluded."""
    meeting = _meeting(request, pk)
    form = forms.MeetingForm(posted(request), initial=_meeting_initial(meeting))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_meeting(
                meeting=meeting,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except StaleEdit as stale:
            conflict = stale
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, "The meeting's details have been saved.")
            return redirect(meeting)
    context = {
        "nav": "partnerships",
        "body": meeting.body,
        "meeting": meeting,
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "meetings/meeting_form.html", context, status=status)


def _publication_form(meeting, data=None, *, withdrawing: bool) -> forms.PublicationForm:
    initial = {"publish": "no" if withdrawing else "yes", "version": meeting.version}
    return forms.PublicationForm(data, withdrawing=withdrawing, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def publication(request, pk):
    """Publish a meeting, after a page that says what the public will read (its agenda,
    attendance, minutes and actions arising, never restricted items), or withdraw it for a
    reason. What the form asks is what its page offered, whatever happened meanwhile."""
    meeting = reading.visible_meeting(request, pk)
    if not permissions.can_publish_meeting(request.user, meeting.body.partnership_id):
        raise PermissionDenied
    if request.method == "POST":
        withdrawing = request.POST.get("publish") == "no"
    else:
        withdrawing = meeting.is_published
    form = _publication_form(meeting, posted(request), withdrawing=withdrawing)
    conflict = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if withdrawing:
                reason = form.cleaned_data["reason"]
                services.withdraw_meeting(
                    meeting=meeting, by=request.user, version=version, reason=reason
                )
            else:
                services.publish_meeting(meeting=meeting, by=request.user, version=version)
        except StaleEdit as stale:
            conflict = stale
            meeting.refresh_from_db()
            withdrawing = meeting.is_published
            form = _publication_form(meeting, withdrawing=withdrawing)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(
                request,
                "The meeting is no longer published."
                if withdrawing
                else "The meeting is published: anyone can read it now.",
            )
            return redirect(meeting)
    context = {
        "nav": "partnerships",
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "withdrawing": withdrawing,
        "public": pages.public_record(meeting),
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "meetings/publication.html", context, status=status)


@login_required
@require_POST
def numbering(request, pk):
    """Set where a body's minute numbers start in a municipal year."""
    body = reading.visible_body(request, pk)
    _may_record(request, body.partnership_id)
    years = pages.numbering_years(body, timezone.localdate())
    form = forms.NumberingForm(request.POST, years=years)
    if form.is_valid():
        try:
            services.set_minute_numbering(body=body, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, "The minute numbers have been set.")
            return redirect(f"{body.get_absolute_url()}#numbering")
    context = reading.body_context(request, body, numbering_form=form)
    return render(request, "meetings/body.html", context, status=form_status(form))


@login_required
@require_POST
def attendance(request, pk):
    """Add someone to the attendance (present, also present, in attendance or apologies)."""
    meeting = _meeting(request, pk)
    form = forms.AttendanceForm(
        request.POST, meeting=meeting, prefix=reading.PREFIXES["attendance_form"]
    )
    saved = ""
    if form.is_valid():
        try:
            row = services.record_attendance(
                meeting=meeting, by=request.user, **form.service_arguments()
            )
        except ValidationError as invalid:
            add_refusal(form, invalid, fields={"person": "name"})
        else:
            saved = f"{row.person.name} has been added to the attendance."
    return _section(
        request, meeting, "attendance", form_name="attendance_form", form=form, saved=saved
    )


@login_required
@require_POST
def attendance_removal(request, pk, attendance_pk):
    """Take someone off the attendance."""
    meeting = _meeting(request, pk)
    row = get_object_or_404(
        Attendance.objects.select_related("person"), pk=attendance_pk, meeting=meeting
    )
    form = forms.RemovalForm(request.POST, meeting=meeting, prefix=f"remove-{row.pk}")
    saved = ""
    if form.is_valid():
        try:
            services.remove_attendance(attendance=row, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            saved = f"{row.person.name} has been removed."
    return _section(
        request, meeting, "attendance", form_name="removal_form", form=form, saved=saved
    )


@login_required
@require_POST
def agenda(request, pk):
    """Add an item at the end of the agenda."""
    meeting = _meeting(request, pk)
    form = forms.AgendaItemForm(
        request.POST, meeting=meeting, prefix=reading.PREFIXES["agenda_form"]
    )
    saved = ""
    if form.is_valid():
        try:
            item = services.add_agenda_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            saved = f"{item} has been added to the agenda."
    return _section(request, meeting, "agenda", form_name="agenda_form", form=form, saved=saved)


@login_required
@require_POST
def declarations(request, pk):
    """Record a declaration of interest."""
    meeting = _meeting(request, pk)
    form = forms.DeclarationForm(request.POST, prefix=reading.PREFIXES["declaration_form"])
    saved = ""
    if form.is_valid():
        try:
            declaration = services.record_declaration(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except ValidationError as invalid:
            add_refusal(form, invalid, fields={"person": "name"})
        else:
            saved = f"{declaration.person.name}'s declaration has been recorded."
    return _section(
        request,
        meeting,
        "declarations",
        form_name="declaration_form",
        form=form,
        saved=saved,
    )


@login_required
@require_POST
def actions_arising(request, pk):
    """Record an action arising from the meeting."""
    meeting = _meeting(request, pk)
    form = forms.MeetingActionForm(
        request.POST, meeting=meeting, prefix=reading.PREFIXES["action_form"]
    )
    saved = ""
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["owner_name"] = data.pop("owner")
        try:
            services.add_meeting_action(meeting=meeting, by=request.user, **data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            saved = "The action arising has been recorded."
    return _section(
        request, meeting, "actions-arising", form_name="action_form", form=form, saved=saved
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_done(request, pk):
    """Record an action arising as done: from the next meeting's matters arising (htmx in
    place), or on its own page from the tracker."""
    visible = MeetingAction.objects.visible_to(request.user).select_related(
        "meeting__body__partnership", "minute", "owner"
    )
    action = get_object_or_404(visible, pk=pk)
    _may_record(request, action.meeting.body.partnership_id)
    at_meeting = _at_meeting(request, action)
    data = posted(request)
    form = (
        reading.done_form(action, at_meeting, data)
        if at_meeting
        else forms.ActionDoneForm(data, initial={"version": action.version})
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.record_action_done(
                action=action,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                version=form.cleaned_data["version"],
                at_meeting=at_meeting,
            )
        except StaleEdit as stale:
            conflict = stale
            form.add_error(None, f"{stale} {' '.join(stale.changes)}")
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            return _done(request, action, at_meeting)
    failed = form_status(form, conflict=conflict)
    if at_meeting and request.htmx:
        context = reading.meeting_context(request, at_meeting, bound_done=(action.pk, form))
        return render(request, "meetings/detail.html#matters-arising", context, status=failed)
    context = {
        "nav": "partnerships",
        "action": action,
        "form": form,
        "at_meeting": at_meeting,
        "partnership": action.meeting.body.partnership,
    }
    return render(request, "meetings/action_done.html", context, status=failed)


def _at_meeting(request, action) -> Meeting | None:
    """The later meeting the outcome is recorded at, when the form came from its page."""
    prefix = f"done-{action.pk}-"
    raw = request.POST.get(f"{prefix}at_meeting") or request.GET.get("at_meeting")
    if not raw or not raw.isdigit():
        return None
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).for_list(),
        pk=int(raw),
        body_id=action.meeting.body_id,
    )


def _done(request, action, at_meeting):
    saved = "The action arising is recorded as done."
    if at_meeting is None:
        messages.success(request, saved)
        return redirect("meetings:tracker", action.meeting.body.partnership.slug)
    if not request.htmx:
        messages.success(request, saved)
        return redirect(f"{at_meeting.get_absolute_url()}#matters-arising")
    context = reading.meeting_context(request, at_meeting)
    context["saved"] = saved
    return render(request, "meetings/detail.html#matters-arising", context)


def _minute_initial(minute) -> dict:
    fields = {name: getattr(minute, name) for name in services.MINUTE_FIELDS}
    return fields | {
        "priorities": list(minute.priorities.values_list("pk", flat=True)),
        "actions": list(minute.actions.values_list("pk", flat=True)),
        "version": minute.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def minute_create(request, pk):
    """Add a minute, numbered next in the body's municipal year unless a number is given."""
    meeting = _meeting(request, pk)
    next_number = services.next_minute_number(meeting.body, meeting.municipal_year)
    form = forms.MinuteForm(
        posted(request), meeting=meeting, user=request.user, next_number=next_number
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            minute = services.record_minute(meeting=meeting, by=request.user, **data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"Minute {minute.number} has been recorded.")
            return redirect(minute.get_absolute_url())
    context = {"nav": "partnerships", "meeting": meeting, "form": form, "minute": None}
    return render(request, "meetings/minute_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def minute_edit(request, pk):
    """Change a minute and what it cites; refused if someone changed it meanwhile."""
    visible = Minute.objects.visible_to(request.user).select_related("meeting__body__partnership")
    minute = get_object_or_404(visible, pk=pk)
    meeting = minute.meeting
    _may_record(request, meeting.body.partnership_id)
    form = forms.MinuteForm(
        posted(request),
        meeting=meeting,
        user=request.user,
        minute=minute,
        initial=_minute_initial(minute),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if data["number"] is None:
            data["number"] = minute.number
        try:
            minute = services.edit_minute(minute=minute, by=request.user, version=version, **data)
        except StaleEdit as stale:
            conflict = stale
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            saved = "corrected" if meeting.minutes_approved else "saved"
            messages.success(request, f"Minute {minute.number} has been {saved}.")
            return redirect(minute.get_absolute_url())
    context = {
        "nav": "partnerships",
        "meeting": meeting,
        "form": form,
        "minute": minute,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "meetings/minute_form.html", context, status=status)


# Papers of an agenda item, and approving the minutes.


def _item(request, pk) -> AgendaItem:
    """An agenda item the user may read (restricted ones only if they see them), for its
    meeting's coordinator; 404 or 403 otherwise."""
    visible = AgendaItem.objects.visible_to(request.user).select_related(
        "meeting__body__partnership"
    )
    item = get_object_or_404(visible, pk=pk)
    _may_record(request, item.meeting.body.partnership_id)
    return item


def _papers_page(request, item, *, upload_form=None, progress_form=None):
    meeting = item.meeting
    context = {
        "nav": "partnerships",
        "item": item,
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "papers": list(
            AgendaPaper.objects.filter(item=item)
            .select_related("plan__partnership")
            .order_by("position")
        ),
        "upload_form": upload_form
        or forms.PaperUploadForm(max_mb=settings.MEETING_PAPER_MAX_MB, prefix="upload"),
        "progress_form": progress_form
        or forms.ProgressPaperForm(
            plans=services.progress_plans(meeting, request.user), prefix="progress"
        ),
    }
    status = form_status(*(f for f in (upload_form, progress_form) if f is not None))
    return render(request, "meetings/papers.html", context, status=status)


@accepts_body(lambda: (settings.MEETING_PAPER_MAX_MB + 1) * 1024 * 1024)
@login_required
@require_http_methods(["GET", "POST"])
def papers(request, pk):
    """An agenda item's papers: upload a PDF (the POST here), or attach a progress report."""
    item = _item(request, pk)
    if request.method == "GET":
        return _papers_page(request, item)
    form = forms.PaperUploadForm(
        request.POST, request.FILES, max_mb=settings.MEETING_PAPER_MAX_MB, prefix="upload"
    )
    if form.is_valid():
        try:
            paper = services.upload_paper(
                item=item,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"“{paper.title}” ({paper.page_count} pages) is attached.")
            return redirect("meetings:papers", item.pk)
    return _papers_page(request, item, upload_form=form)


@login_required
@require_POST
def paper_progress(request, pk):
    """Attach the plan's progress report as at a day to an agenda item."""
    item = _item(request, pk)
    plans = services.progress_plans(item.meeting, request.user)
    form = forms.ProgressPaperForm(request.POST, plans=plans, prefix="progress")
    if form.is_valid():
        try:
            paper = services.attach_progress_report(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"“{paper.title}” is attached.")
            return redirect("meetings:papers", item.pk)
    return _papers_page(request, item, progress_form=form)


@login_required
@require_POST
def paper_removal(request, pk):
    """Take a paper off its agenda item."""
    visible = AgendaPaper.objects.visible_to(request.user).select_related(
        "item__meeting__body__partnership"
    )
    paper = get_object_or_404(visible, pk=pk)
    _may_record(request, paper.item.meeting.body.partnership_id)
    services.remove_paper(paper=paper, by=request.user)
    messages.success(request, f"“{paper.title}” has been removed from the agenda item.")
    return redirect("meetings:papers", paper.item_id)


def _approval_form(meeting, data=None) -> forms.ApprovalForm:
    return forms.ApprovalForm(data, initial={"version": meeting.version})


@login_required
@require_http_methods(["GET", "POST"])
def minutes_approval(request, pk):
    """Approve the meeting's minutes as a true record, after a page that says who approves
    them and that they change only by a recorded correction from then on."""
    meeting = _meeting(request, pk)
    form = _approval_form(meeting, posted(request))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_minutes(
                meeting=meeting, by=request.user, version=form.cleaned_data["version"]
            )
        except StaleEdit as stale:
            conflict = stale
            meeting.refresh_from_db()
            form = _approval_form(meeting)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            label = meeting.record_label
            messages.success(request, f"The {label.lower()} are approved.")
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    context = {
        "nav": "partnerships",
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "minute_count": Minute.objects.filter(meeting=meeting).count(),
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "meetings/minutes_approval.html", context, status=status)
