package dev.nlpstreams.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class SharedKafkaBrokerIT {

  @Test
  void oneBrokerPerJvmAndUniqueTopics() throws Exception {
    assertThat(SharedKafkaBroker.get()).isSameAs(SharedKafkaBroker.get());
    assertThat(SharedKafkaBroker.get().isRunning()).isTrue();

    String a = SharedKafkaBroker.createTopic("shared it/a", 2);
    String b = SharedKafkaBroker.createTopic("shared it/a", 2);
    List<String> more = SharedKafkaBroker.createTopics(1, "x", "y");
    assertThat(a).isNotEqualTo(b).startsWith("shared_it_a-");
    assertThat(more).hasSize(2).doesNotHaveDuplicates();

    try (Admin admin = Admin.create(SharedKafkaBroker.get().adminConfig())) {
      assertThat(admin.listTopics().names().get()).containsAll(Set.of(a, b, more.get(0), more.get(1)));
      assertThat(admin.describeTopics(Set.of(a)).allTopicNames().get().get(a).partitions()).hasSize(2);
    }
  }
}
