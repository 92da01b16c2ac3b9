package lookout.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * The compose file as Docker Compose would read it (no Docker engine runs in the tests): the key, the dashboards'
 * users and the subscribers are secrets from outside the repository, and every published port (Flink's
 * unauthenticated REST API among them) is on loopback only. lookout.docker.DeploymentFilesTest (tools) checks the
 * file against the Compose Specification and its paths and arguments against the images and the commands.
 */
class DockerComposeTest {
    static final Path DOCKER = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docker");

    @Test
    void secretsComeFromOutsideTheRepositoryAndPortsArePublishedOnLoopbackOnly() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.path("services");
        assertEquals(List.of("kafka", "jobmanager", "taskmanager-1", "taskmanager-2", "submit", "dashboards", "notifier",
                "mailpit"), fieldNames(services));

        assertFalse(Files.exists(DOCKER.resolve("lookout.env")), "no env file for the key is kept with the code");
        for (String name : fieldNames(services)) {
            JsonNode s = services.path(name);
            assertTrue(s.path("env_file").isMissingNode(), name + " reads no env file");
            assertTrue(s.path("environment").path("LOOKOUT_PSEUDONYM_KEY").isMissingNode(), name + " has no inline key");
            for (JsonNode port : s.path("ports")) {
                assertTrue(port.asText().startsWith("127.0.0.1:"), name + " publishes " + port.asText() + " beyond loopback");
            }
        }
        assertEquals("[\"127.0.0.1:8081:8081\"]", services.path("jobmanager").path("ports").toString());
        assertEquals("[\"127.0.0.1:8080:8080\"]", services.path("dashboards").path("ports").toString());
        assertEquals("[\"127.0.0.1:8025:8025\"]", services.path("mailpit").path("ports").toString());
        assertTrue(services.path("kafka").path("ports").isMissingNode(), "Kafka is reachable on the compose network only");

        // Only the client that submits the job reads the key; it travels inside the job, not as a file on a node.
        for (String name : fieldNames(services)) {
            JsonNode s = services.path(name);
            boolean submit = name.equals("submit");
            assertEquals(submit, s.path("secrets").toString().contains("pseudonym_key"), name + " and the key");
            assertEquals(submit, s.path("environment").has("LOOKOUT_PSEUDONYM_KEY_FILE"), name + " and the key");
        }
        assertEquals("/run/secrets/pseudonym_key",
                services.path("submit").path("environment").path("LOOKOUT_PSEUDONYM_KEY_FILE").asText());
        for (String secret : List.of("pseudonym_key:LOOKOUT_PSEUDONYM_KEY_PATH", "dashboard_users:LOOKOUT_USERS_PATH",
                "subscriptions:LOOKOUT_SUBSCRIPTIONS_PATH")) {
            String[] nameAndVariable = secret.split(":");
            String file = compose.path("secrets").path(nameAndVariable[0]).path("file").asText();
            assertTrue(file.startsWith("${" + nameAndVariable[1] + ":?"), "the operator names the file: " + file);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(java.util.Map.Entry::getKey).toList();
    }
}
