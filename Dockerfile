# syntax=docker/dockerfile:1
# Parley: the UI built with Node, published with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t parley .
#   docker run -p 8080:8080 -e SECRET_KEY=... -e DATABASE_URL=postgres://... parley
# Settings are the ones in README.md ("Configuration"); compose.yaml runs two instances behind nginx.

FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
# Vite writes the bundle to ../src/Parley/wwwroot (see web/vite.config.ts).
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Parley/Parley.csproj src/Parley/
RUN dotnet restore src/Parley/Parley.csproj
COPY src/Parley/ src/Parley/
COPY --from=web /src/src/Parley/wwwroot/ src/Parley/wwwroot/
RUN dotnet publish src/Parley/Parley.csproj -c Release -o /app --no-restore -p:SkipWebBuild=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DATABASE_URL=sqlite:////data/parley.db
RUN mkdir /data && chown app:app /data
VOLUME /data
USER app
EXPOSE 8080
# Ready, not just alive: the database answers and the instance is not draining. No curl in the image: bash's /dev/tcp.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Parley.dll"]
