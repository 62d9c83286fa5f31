"""What the BaseLinker tests share: the sandbox BaseLinker (started once per class) and an account on it."""

from odoo.addons.b2b_sandbox.peers.baselinker import BaseLinkerPeer


class BaseLinkerTestMixin:
    @classmethod
    def _baselinker_peer(cls, token, **options):
        """Start the sandbox BaseLinker answering ``token`` for this class (``cls.peer``), stopped at its end."""
        cls.peer = cls.enterClassContext(BaseLinkerPeer(token=token, **options))
        return cls.peer

    @classmethod
    def _baselinker_backend(cls, env=None, **values):
        """A BaseLinker account on ``cls.peer`` with its token, created in ``env`` (default: the class's)."""
        return (env or cls.env)["b2b.baselinker.backend"].create({
            "url": f"{cls.peer.url}/connector.php", "api_token": cls.peer.token, **values})
