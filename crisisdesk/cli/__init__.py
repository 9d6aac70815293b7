"""Command-line interface, registered on the app so `flask --app wsgi ...` covers everything."""


def register(app):
    from crisisdesk.cli import classify, demo, privacy, shops, users, worker

    app.cli.add_command(shops.shops)
    app.cli.add_command(users.users)
    app.cli.add_command(demo.demo)
    app.cli.add_command(worker.worker)
    app.cli.add_command(worker.scheduler)
    app.cli.add_command(worker.serve_all)
    app.cli.add_command(classify.classify)
    app.cli.add_command(privacy.privacy_requests)
