package io.cdcmesh.testkit;

import io.cdcmesh.servers.Listeners;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenersTest {
    @Test
    void aSocketOnEveryInterfaceIsReportedAndALoopbackOneIsNot() throws Exception {
        try (ServerSocket wildcard = new ServerSocket(0); ServerSocket loopback = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            assertThat(Listeners.onEveryInterface())
                    .anyMatch(line -> line.endsWith("*:" + wildcard.getLocalPort()))
                    .noneMatch(line -> line.endsWith("*:" + loopback.getLocalPort()));
        }
    }
}
