# Build: ./mvnw -Pprod -DskipTests package && docker build -t artifact-catalog .
# (or ./mvnw -Pprod spring-boot:build-image, which needs no Dockerfile). -Pprod leaves the
# embedded servers' binaries out of the jar (57 MB instead of 194 MB): the image always runs
# against the PostgreSQL and Redis its configuration names.
FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S catalog && adduser -S catalog -G catalog
WORKDIR /app
COPY target/artifact-catalog-*.jar /app/catalog.jar
USER catalog
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/catalog.jar"]
