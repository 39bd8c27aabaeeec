rootProject.name = "gradle-team-service"
