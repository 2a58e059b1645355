"""Commands of the ``gateway oidc`` group: register, list and revoke clients; revoke tokens.

A confidential client's secret is printed once, when it is created, and only
its hash is kept; losing it means registering the client again.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..identity.models import Person
from .clients import ClientRegistrationError, register_client
from .models import CONFIDENTIAL_AUTH_METHODS, OAuthClient
from .scopes import DEFAULT_CLIENT_SCOPES, SCOPE_NAMES
from .storage import db, revoke_tokens
from .subjects import PAIRWISE, SUBJECT_TYPES, SectorError, choose_sector

CLI_ACTOR = "system:cli"


@click.group("oidc", cls=AppGroup)
def group() -> None:
    """OpenID Connect: the apps outside the portal that sign people in through it."""


@group.command("add-client")
@click.option("--name", required=True, help="The application's name, shown to people on the consent page.")
@click.option(
    "--redirect-uri",
    "redirect_uris",
    multiple=True,
    required=True,
    help="An exact redirect URI (repeat for several). https, or http on localhost for development.",
)
@click.option("--public", is_flag=True, help="A public client (mobile or browser app): no secret, PKCE only.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(SCOPE_NAMES),
    help=f"A scope the client may ask for (repeat). Default: {' '.join(DEFAULT_CLIENT_SCOPES)}.",
)
@click.option(
    "--auth-method",
    type=click.Choice(CONFIDENTIAL_AUTH_METHODS),
    default="client_secret_basic",
    show_default=True,
    help="How a confidential client authenticates at the token endpoint.",
)
@click.option(
    "--subject-type",
    type=click.Choice(SUBJECT_TYPES),
    default=PAIRWISE,
    show_default=True,
    help="pairwise: the app gets a sub of its own for each person, so apps cannot link people by sub; "
    "public: every public app gets the person's same sub (choose it only for apps meant to share it).",
)
@click.option(
    "--sector-identifier",
    help="For pairwise subjects of an app on several hosts: the host name its apps share (they get the same subs).",
)
@click.option(
    "--post-logout-redirect-uri",
    "post_logout_redirect_uris",
    multiple=True,
    help="An exact URI the app may send people back to after signing out (repeat for several).",
)
@click.option(
    "--backchannel-logout-uri",
    help="The app's back-channel logout URI: it receives a signed logout token when a portal session ends.",
)
def add_client(
    name: str,
    redirect_uris: tuple[str, ...],
    public: bool,
    scopes: tuple[str, ...],
    auth_method: str,
    subject_type: str,
    sector_identifier: str | None,
    post_logout_redirect_uris: tuple[str, ...],
    backchannel_logout_uri: str | None,
) -> None:
    """Register an application; prints its client_id and, for a confidential client, its secret ONCE."""
    session = db()
    try:
        client, secret = register_client(
            session,
            name=name,
            redirect_uris=list(redirect_uris),
            scopes=list(scopes) or list(DEFAULT_CLIENT_SCOPES),
            auth_method="none" if public else auth_method,
            subject_type=subject_type,
            sector_identifier=sector_identifier,
            post_logout_redirect_uris=list(post_logout_redirect_uris),
            backchannel_logout_uri=backchannel_logout_uri,
        )
    except ClientRegistrationError as exc:
        raise click.UsageError(str(exc)) from exc
    session.commit()
    click.echo(f"client_id:     {client.client_id}")
    if secret is not None:
        click.echo(f"client_secret: {secret}")
        click.echo("Store the secret now: it is shown only this once and cannot be recovered.")
    click.echo(f"auth method:   {client.token_endpoint_auth_method}")
    click.echo(f"scopes:        {' '.join(client.allowed_scopes)}")
    click.echo(f"subject type:  {_subjects(client)}")
    for uri in client.redirect_uris:
        click.echo(f"redirect URI:  {uri}")
    for uri in client.post_logout_redirect_uris:
        click.echo(f"post-logout redirect URI: {uri}")
    if client.backchannel_logout_uri:
        click.echo(f"back-channel logout URI:  {client.backchannel_logout_uri}")


def _subjects(client: OAuthClient) -> str:
    if client.subject_type == PAIRWISE:
        return f"{PAIRWISE} (sector {client.sector_identifier})"
    return client.subject_type


@group.command("list-clients")
def list_clients() -> None:
    """Every registered application, active or revoked."""
    clients = db().scalars(select(OAuthClient).order_by(OAuthClient.id)).all()
    if not clients:
        click.echo("No clients are registered.")
        return
    for client in clients:
        status = "revoked" if client.revoked else "active"
        kind = "public" if client.is_public else "confidential"
        click.echo(f"{client.client_id}  {client.name}")
        click.echo(f"  status:        {status}")
        click.echo(f"  type:          {kind} ({client.token_endpoint_auth_method})")
        click.echo(f"  scopes:        {' '.join(client.allowed_scopes)}")
        click.echo(f"  subject type:  {_subjects(client)}")
        click.echo(f"  redirect URIs: {' '.join(client.redirect_uris)}")
        if client.post_logout_redirect_uris:
            click.echo(f"  post-logout redirect URIs: {' '.join(client.post_logout_redirect_uris)}")
        if client.backchannel_logout_uri:
            click.echo(f"  back-channel logout URI:   {client.backchannel_logout_uri}")


@group.command("set-subject-type")
@click.argument("client_id")
@click.argument("subject_type", type=click.Choice(SUBJECT_TYPES))
@click.option("--sector-identifier", help="For pairwise subjects: the host name the client's apps share.")
def set_subject_type(client_id: str, subject_type: str, sector_identifier: str | None) -> None:
    """Choose public or pairwise subjects for a client. Its app then knows every person by a NEW sub."""
    session = db()
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise click.UsageError(f"no client {client_id!r}")
    if subject_type == PAIRWISE:
        try:
            client.sector_identifier = choose_sector(client.redirect_uris, sector_identifier, client.client_id)
        except SectorError as exc:
            raise click.UsageError(str(exc)) from exc
    elif sector_identifier:
        raise click.UsageError("a sector identifier is only for pairwise subjects")
    else:
        client.sector_identifier = None
    client.subject_type = subject_type
    session.commit()
    click.echo(f"Client {client_id}: subject type {_subjects(client)}.")
    click.echo("Its app now receives a different sub for every person: it must link its accounts again.")


@group.command("revoke-client")
@click.argument("client_id")
def revoke_client(client_id: str) -> None:
    """Stop an application from signing anyone in, and revoke every token it holds."""
    session = db()
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise click.UsageError(f"no client {client_id!r}")
    client.revoked = True
    revoked = revoke_tokens(session, client_id=client_id, actor=CLI_ACTOR, reason="client_revoked")
    session.commit()
    click.echo(f"Client {client_id} revoked; {revoked} token(s) revoked.")


@group.command("revoke-tokens")
@click.option("--person", "id_number", help="The person's national ID or iqama number.")
@click.option("--client", "client_id", help="The application's client_id.")
def revoke_tokens_command(id_number: str | None, client_id: str | None) -> None:
    """Revoke the live tokens of a person, of an application, or of a person at one application."""
    if not id_number and not client_id:
        raise click.UsageError("give --person ID_NUMBER, --client CLIENT_ID or both")
    session = db()
    person_id = None
    if id_number:
        person = session.scalar(select(Person).where(Person.id_number == id_number.strip()))
        if person is None:
            raise click.UsageError(f"no person with ID number {id_number!r}")
        person_id = person.id
    if client_id and session.scalar(select(OAuthClient.id).where(OAuthClient.client_id == client_id)) is None:
        raise click.UsageError(f"no client {client_id!r}")
    revoked = revoke_tokens(session, person_id=person_id, client_id=client_id, actor=CLI_ACTOR)
    session.commit()
    click.echo(f"{revoked} token(s) revoked.")
