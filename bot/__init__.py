"""云游热线 application: settings, app factory, CLI, conversation service."""
