"""The local web app: server-rendered pages and a JSON API over ``glutecoach.services``."""
