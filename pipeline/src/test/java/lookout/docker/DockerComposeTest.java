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
 * The compose file as Docker Compose would read it (no Docker engine runs in the tests): the key is a secret
 * from outside the repository, and Flink's unauthenticated REST port is published on loopback only.
 */
class DockerComposeTest {
    static final Path DOCKER = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docker");

    @Test
    void theKeyIsASecretFromOutsideTheRepositoryAndRestIsPublishedOnLoopbackOnly() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.path("services");
        assertEquals(List.of("kafka", "jobmanager", "taskmanager"), fieldNames(services));

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
        assertTrue(services.path("kafka").path("ports").isMissingNode(), "Kafka is reachable on the compose network only");

        JsonNode jobmanager = services.path("jobmanager");
        assertEquals("[\"pseudonym_key\"]", jobmanager.path("secrets").toString());
        assertEquals("/run/secrets/pseudonym_key", jobmanager.path("environment").path("LOOKOUT_PSEUDONYM_KEY_FILE").asText());
        String keyFile = compose.path("secrets").path("pseudonym_key").path("file").asText();
        assertTrue(keyFile.startsWith("${LOOKOUT_PSEUDONYM_KEY_PATH:?"), "the operator names the key file: " + keyFile);
    }

    static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(java.util.Map.Entry::getKey).toList();
    }
}
