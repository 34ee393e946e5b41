"""django-axes' authentication backend, for sign-ins that come with a request."""

from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    """Checks the lockout of every web sign-in; lets request-less calls pass to the next backend.

    Every web sign-in (Wagtail's admin login, the front-end login for private pages) calls
    ``authenticate(request, …)``, and axes locks those. ``authenticate()`` without a request
    (Django's test client ``login()``, scripts, ``manage.py shell``) has no address to lock;
    axes' own backend raises there, this one leaves the decision to ``ModelBackend``.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
