# PgBouncer for compose.yaml, from Debian's own package: trixie ships 1.24, which keeps named
# prepared statements working in transaction mode (max_prepared_statements), as Neon's pooler does.
FROM debian:trixie-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends pgbouncer \
  && rm -rf /var/lib/apt/lists/*
COPY pgbouncer.ini userlist.txt /etc/pgbouncer/
# PgBouncer refuses to run as root; Debian's package makes the postgres user.
USER postgres
EXPOSE 6432
CMD ["/usr/sbin/pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
