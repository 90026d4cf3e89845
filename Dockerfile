# retur, built and run in containers: `docker compose up` (see docker-compose.yml).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p retur

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/retur retur && mkdir -p /var/lib/retur && chown retur /var/lib/retur
COPY --from=build /src/target/release/retur /usr/local/bin/retur
USER retur
WORKDIR /var/lib/retur
EXPOSE 8080
ENTRYPOINT ["retur"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
