"""manage.py grant_editor <username> <network>: make a user an editor of one network."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from networks.models import Network
from networks.services import grant_editor


class Command(BaseCommand):
    help = "Make a user an editor of a network (staff access; may edit only that network's records)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("network", help="The network's slug, e.g. mercociudades.")

    def handle(self, *args, username, network, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None
        try:
            target = Network.objects.get(slug=network)
        except Network.DoesNotExist:
            raise CommandError(f"No network with the slug “{network}”.") from None
        grant_editor(user=user, network=target)
        self.stdout.write(self.style.SUCCESS(f"{username} now edits {target} ({target.slug})."))
