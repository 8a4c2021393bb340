# The api and worker images, built from source: docker compose passes APP (api or worker), PORT and
# JAVA_OPTS. By hand: docker build --build-arg APP=api --build-arg PORT=8080 .
ARG APP=api

FROM maven:3.9.9-eclipse-temurin-17 AS build
ARG APP
WORKDIR /build
# The whole tree (minus .dockerignore): the reactor needs every module the root pom lists.
COPY . .
RUN ./mvnw -B -q -pl ${APP} -am package -DskipTests

FROM eclipse-temurin:17.0.15_6-jre
ARG APP
ARG PORT=8080
# api: each replica should stay under 256 MB RSS, so a small heap, the serial collector (the
# leanest in native memory) and the C1 compiler only: with C2, three replicas on two cores spent a
# third of their CPU compiling and ended near 260 MB (README, Benchmarks). Compose gives the worker
# room for a full batch in flight.
ARG JAVA_OPTS="-Xms64m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home app \
    && install -d -o 10001 -g 10001 /keys
WORKDIR /app
COPY --from=build /build/${APP}/target/quarkus-app/ /app/
USER 10001
ENV HTTP_PORT=${PORT} JAVA_OPTS="${JAVA_OPTS}"
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${HTTP_PORT}/q/health/ready" || exit 1
# exec: java becomes PID 1 and gets the SIGTERM of `docker stop` (graceful shutdown).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
