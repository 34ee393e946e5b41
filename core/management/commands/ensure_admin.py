import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

LOGIN_FILE = Path(settings.BASE_DIR) / ".admin-login"


class Command(BaseCommand):
    help = (
        "Creates the first admin login (user 'admin', random password) when no superuser exists, "
        "and prints the login. The password is kept in .admin-login (readable only by you) so "
        "`make run` can print it again; change it in the admin and delete the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        user_model = get_user_model()
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/"
        if not user_model.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username=username, email="", password=password)
            LOGIN_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
            LOGIN_FILE.chmod(0o600)
            self.print_login(url, username, password)
            return
        if LOGIN_FILE.exists():
            saved_username, saved_password = LOGIN_FILE.read_text(encoding="utf-8").split()[:2]
            user = user_model.objects.filter(username=saved_username).first()
            if user and user.check_password(saved_password):
                self.print_login(url, saved_username, saved_password)
                return
        self.stdout.write(
            f"An admin login exists already. Log in at {url}; to set a new password run "
            "`.venv/bin/python manage.py changepassword <username>`."
        )

    def print_login(self, url, username, password):
        self.stdout.write(self.style.SUCCESS("\nAdmin login for the Wagtail admin"))
        self.stdout.write(f"  URL:      {url}\n  User:     {username}\n  Password: {password}\n")
