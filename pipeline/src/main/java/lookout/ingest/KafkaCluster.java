package lookout.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;

import lookout.kernel.Causes;
import lookout.kernel.UsageException;

/** Checks a Kafka cluster is there before anything is started against it, and creates missing topics. */
public final class KafkaCluster {
    private static final int TIMEOUT_SECONDS = 10;

    private KafkaCluster() {}

    /** Creates whichever of the topics do not exist yet; stops with one line if the brokers cannot be reached. */
    public static void ensureTopics(String bootstrap, List<String> topics, int partitions) {
        ensureTopics(bootstrap, Map.of(), topics, partitions);
    }

    /** @param clientProperties extra client settings, such as TLS and SASL (see {@code kafka.properties.*}) */
    public static void ensureTopics(String bootstrap, Map<String, String> clientProperties, List<String> topics,
            int partitions) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new UsageException("no Kafka bootstrap servers given (kafka.bootstrap)");
        }
        Map<String, Object> settings = new HashMap<>(clientProperties);
        settings.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000));
        try (Admin admin = createAdmin(settings)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new UsageException("cannot reach Kafka at " + bootstrap + " within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while contacting Kafka at " + bootstrap);
        }
    }

    /** A client setting Kafka refuses (from {@code kafka.properties.*}) is a user error: one line naming it. */
    private static Admin createAdmin(Map<String, Object> settings) {
        try {
            return Admin.create(settings);
        } catch (KafkaException e) {
            throw new UsageException("Kafka client settings (kafka.properties.*) refused: "
                    + Causes.innermost(e).getMessage());
        }
    }
}
