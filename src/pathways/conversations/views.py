"""Conversation pages. Thin: each asks a selector (which asks the policy) and calls one service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pathways.circle.models import CircleMember
from pathways.circle.policy import Access
from pathways.circle.selectors import person_by_public_id
from pathways.signins.held_forms import form_data

from . import selectors, services


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    """The person's conversations with their circle, newest activity first, and those they have as a supporter."""
    services.conversations_start(selectors.members_to_open(person=request.user))
    return render(request, "conversations/conversation_list.html", {
        "lines": selectors.persons_conversations(person=request.user),
        "supporting": selectors.supporters_conversations(viewer=request.user)})


@login_required
def with_person(request: HttpRequest, person_id) -> HttpResponse:
    """A supporter's way in from the person's page or an alert: their conversation, started on first use."""
    person = person_by_public_id(public_id=person_id)
    if person.pk == request.user.pk:
        return redirect("conversations:list")
    member = CircleMember.objects.filter(person=person, supporter=request.user, removed_at__isnull=True).first()
    if member is None or not selectors.may_message(viewer=request.user, person=person):
        selectors.refuse(viewer=request.user, person=person)
    conversation = services.conversation_for(member)
    return redirect("conversations:conversation", conversation_id=conversation.public_id)


@login_required
def conversation(request: HttpRequest, conversation_id) -> HttpResponse:
    """The one page both sides read and write: the newest messages (or earlier ones), and the send form."""
    is_send = request.method == "POST"
    found = selectors.conversation_get(conversation_id=conversation_id, viewer=request.user,
                                       action=Access.WRITE if is_send else Access.VIEW)
    text, error = "", ""
    data = form_data(request)
    if data is not None:
        text = data.get("text", "")
    if is_send:
        try:
            services.message_send(conversation=found, author=request.user, text=text)
        except ValidationError as problem:
            error = " ".join(problem.message_dict.get("text", problem.messages))
        else:
            return redirect("conversations:conversation", conversation_id=conversation_id)
    before = selectors.parse_time(request.GET.get("before"))
    services.mark_read(conversation=found, reader=request.user)
    page = selectors.conversation_page(conversation=found, viewer=request.user, before=before)
    return render(request, "conversations/conversation.html", {"page": page, "text": text, "error": error},
                  status=400 if error else 200)


@login_required
@require_GET
def new_messages(request: HttpRequest, conversation_id) -> HttpResponse:
    """What the open page polls for: messages since ?after=, and which of the viewer's own were read. The policy
    is asked every time; a poll that brings nothing new is not a read worth logging (a refusal always is)."""
    after = selectors.parse_time(request.GET.get("after")) or timezone.now()  # without one: from now on
    found = selectors.conversation_get(conversation_id=conversation_id, viewer=request.user, log=False)
    arrived = selectors.messages_after(conversation=found, viewer=request.user, after=after)
    if any(not message.mine for message in arrived):
        selectors.conversation_get(conversation_id=conversation_id, viewer=request.user)  # logs this read
        services.mark_read(conversation=found, reader=request.user)
    last_key = arrived[-1].key if arrived else after.isoformat()
    return render(request, "conversations/conversation_new.html", {
        "conversation": found, "arrived": arrived, "last_key": last_key,
        "receipts": selectors.receipts(conversation=found, viewer=request.user)})


def _persons_own(request: HttpRequest, conversation_id):
    """One of the person's own conversations: the choices on it are theirs alone (404 for anyone else)."""
    found = selectors.conversation_get(conversation_id=conversation_id, viewer=request.user)
    if found.person_id != request.user.pk:
        raise Http404
    return found


@login_required
@require_POST
def receipts(request: HttpRequest, conversation_id) -> HttpResponse:
    found = _persons_own(request, conversation_id)
    on = request.POST.get("read_receipts") == "on"
    services.read_receipts_set(conversation=found, on=on)
    messages.success(request, "Read receipts are on: you both see when a message was read." if on else
                     "Read receipts are off: neither of you sees when a message was read.")
    return redirect("conversations:conversation", conversation_id=conversation_id)


@login_required
@require_POST
def mute(request: HttpRequest, conversation_id) -> HttpResponse:
    found = _persons_own(request, conversation_id)
    muted = services.mute_toggle(conversation=found)
    messages.success(request, "Muted: you will not be notified of new messages here." if muted else
                     "Notifications are back on for this conversation.")
    return redirect("conversations:conversation", conversation_id=conversation_id)


@login_required
def block(request: HttpRequest, conversation_id) -> HttpResponse:
    """Asks once, naming what ends, then blocks."""
    found = _persons_own(request, conversation_id)
    name = selectors.other_name(conversation=found, viewer=request.user)
    if request.method == "POST" and found.blocked_at is None:
        services.block(conversation=found)
        messages.success(request, f"{name} is blocked and no longer in your circle. You keep this "
                                  "conversation.")
        return redirect("conversations:conversation", conversation_id=conversation_id)
    return render(request, "conversations/conversation_block.html", {"conversation": found, "name": name})
