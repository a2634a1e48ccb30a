"""The accounts app's background work (the task queue: core.tasks, ADR 0125)."""

from django.tasks import task


@task
def send_password_reset(
    email: str, domain: str, use_https: bool, subject_template_name: str, email_template_name: str
) -> int:
    """Send a reset link to each active user with this email (none for an unknown one);
    how many. The request only enqueued this, whatever the address, so that it answers
    in the same time for both (accounts.forms.ThrottledPasswordResetForm.save)."""
    from .forms import ThrottledPasswordResetForm

    return ThrottledPasswordResetForm.send_now(
        email=email,
        domain=domain,
        use_https=use_https,
        subject_template_name=subject_template_name,
        email_template_name=email_template_name,
    )
