"""core.forms.submit: a form's POST handed to its service, a refusal shown on the form."""

from django import forms

from core.errors import InvalidValue, WrongState
from core.forms import submit


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
