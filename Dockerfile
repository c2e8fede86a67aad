# tradescreen as a container image: a static binary (CGO off; the SQLite driver, modernc.org/sqlite, is pure
# Go) on distroless/static, which carries CA certificates and time zones and nothing else: no shell, no curl.
# Build:  docker build -t tradescreen .
# Run:    docker run -p 8080:8080 -v tradescreen-data:/data \
#           -v "$PWD/secrets/api_key:/run/secrets/api_key:ro" tradescreen
# See docs/operations.md, "Containers"; docker-compose.yml starts it with PostgreSQL.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# The toolchain go.mod names is fetched through the module proxy when the image's Go is older.
ENV CGO_ENABLED=0 GOTOOLCHAIN=auto GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -ldflags="-s -w" -o /out/tradescreen ./cmd/tradescreen \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tradescreen /usr/local/bin/tradescreen
# The data directory (downloaded list versions, batch jobs, the SQLite database unless TRADESCREEN_DB names
# PostgreSQL) belongs to the non-root user the server runs as.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV TRADESCREEN_ADDR=0.0.0.0:8080 \
    TRADESCREEN_DATA_DIR=/data \
    TRADESCREEN_API_KEY_FILE=/run/secrets/api_key \
    TRADESCREEN_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
# Ready once the lists are loaded (about 1 s for the embedded snapshot). No shell in the image: the binary
# asks /readyz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/tradescreen", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/tradescreen"]
CMD ["serve"]
