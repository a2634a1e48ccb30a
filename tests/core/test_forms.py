"""core.forms: a form's POST handed to its service (submit), a refusal shown on the form;
a button's (perform), a refusal shown as a message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage

from core.errors import InvalidValue, WrongState
from core.forms import perform, submit


class NameForm(forms.Form):
    name = forms.CharField()


def test_an_invalid_form_does_not_reach_the_service():
    calls = []
    submitted = submit(NameForm({}), calls.append)
    assert not submitted and calls == []


def test_a_valid_form_gives_its_data_to_the_service_and_its_result_back():
    submitted = submit(NameForm({"name": "Taco"}), lambda data: f"made {data['name']}")
    assert submitted and submitted.result == "made Taco"


def test_a_refusal_is_shown_on_the_field_at_fault_or_above_the_form():
    def refuse(field):
        def service(data):
            raise InvalidValue("Taken.", field=field)

        return service

    form = NameForm({"name": "Taco"})
    assert not submit(form, refuse("name"))
    assert form.errors == {"name": ["Taken."]}

    form = NameForm({"name": "Taco"})

    def wrong_state(data):
        raise WrongState("Removed meanwhile.")

    assert not submit(form, wrong_state)
    assert form.non_field_errors() == ["Removed meanwhile."]


def test_a_button_acts_as_the_user_and_says_what_it_did(rf, admin_user):
    request = rf.post("/")
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    seen = []

    def service(*, project, actor):
        seen.append((project, actor.user, actor.source))
        return "resumed"

    done = perform(request, service, project="P", done="Resumed.")
    assert done and done.result == "resumed" and seen == [("P", admin_user, "dashboard")]

    def refuse(*, actor):
        raise WrongState("Removed meanwhile.")

    assert not perform(request, refuse, done="Never shown.")
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("success", "Resumed."),
        ("error", "Removed meanwhile."),
    ]
