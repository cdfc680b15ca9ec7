package dev.catalog.embedded;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what is wrong with the servers' configuration and what to set, instead of a stack trace. */
class UnusableServerConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<UnusableServerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnusableServerConfigurationException cause) {
		return new FailureAnalysis("Unusable server configuration: " + cause.getMessage(), cause.action(), cause);
	}

}
