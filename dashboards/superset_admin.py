"""Create the Superset admin, or set its password, run by `emstat dashboards up` with Superset's own Python:
`python superset_admin.py USERNAME`, the password on standard input. Superset's `fab create-admin` and
`reset-password` take the password as an argument, where every user of the host reads it in `ps`."""

import sys

from superset.app import create_app


def main(username: str) -> None:
    password = sys.stdin.read().rstrip("\n")
    app = create_app()
    with app.app_context():
        from superset import security_manager

        role = security_manager.find_role("Admin")
        user = security_manager.find_user(username=username)
        if user is None:
            if not security_manager.add_user(
                username, "emstat", "admin", f"{username}@localhost", role, password=password
            ):
                sys.exit(f"could not create the admin {username}")
            return
        security_manager.reset_password(user.id, password)
        if role not in user.roles:
            user.roles.append(role)
            security_manager.update_user(user)


if __name__ == "__main__":
    main(sys.argv[1])
