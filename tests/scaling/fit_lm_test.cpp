#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "scaling/fit_lm.h"

namespace rlvr::scaling {
namespace {

// y = a * exp(-k t), residuals against noiseless samples of a = 2, k = 0.5.
struct Decay {
  Eigen::VectorXd t = Eigen::VectorXd::LinSpaced(20, 0, 10);
  Eigen::VectorXd y = 2.0 * (-0.5 * t.array()).exp();
  Eigen::VectorXd residuals(const Eigen::VectorXd& p) const {
    return (p[0] * (-p[1] * t.array()).exp()).matrix() - y;
  }
  Eigen::MatrixXd jacobian(const Eigen::VectorXd& p) const {
    Eigen::MatrixXd j(t.size(), 2);
    j.col(0) = (-p[1] * t.array()).exp();
    j.col(1) = (-p[0] * t.array() * (-p[1] * t.array()).exp()).matrix();
    return j;
  }
};

TEST(LevenbergMarquardt, RecoversDecayWithAnalyticAndFiniteDifferenceJacobians) {
  const Decay d;
  const Eigen::Vector2d start(0.5, 2.0);
  const auto r = [&](const Eigen::VectorXd& p) { return d.residuals(p); };
  const auto analytic = levenberg_marquardt(r, start, {}, [&](const Eigen::VectorXd& p) {
    return d.jacobian(p);
  });
  const auto numeric = levenberg_marquardt(r, start);
  for (const auto& result : {analytic, numeric}) {
    EXPECT_TRUE(result.converged) << result.stop_reason;
    EXPECT_NEAR(result.params[0], 2.0, 1e-6);
    EXPECT_NEAR(result.params[1], 0.5, 1e-6);
    EXPECT_LT(result.cost, 1e-12);
  }
}

TEST(LevenbergMarquardt, FiniteDifferenceJacobianMatchesAnalytic) {
  const Decay d;
  const Eigen::Vector2d p(1.3, 0.7);
  const Eigen::MatrixXd fd =
      finite_difference_jacobian([&](const Eigen::VectorXd& q) { return d.residuals(q); }, p);
  EXPECT_LT((fd - d.jacobian(p)).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(LevenbergMarquardt, SolvesRosenbrockFromTheClassicStart) {
  // Rosenbrock as least squares: a curved valley that defeats plain Gauss–Newton steps.
  const auto r = [](const Eigen::VectorXd& p) {
    Eigen::VectorXd v(2);
    v << 10 * (p[1] - p[0] * p[0]), 1 - p[0];
    return v;
  };
  const auto result = levenberg_marquardt(r, Eigen::Vector2d(-1.2, 1.0));
  EXPECT_NEAR(result.params[0], 1.0, 1e-6);
  EXPECT_NEAR(result.params[1], 1.0, 1e-6);
}

TEST(LevenbergMarquardt, RejectsStepsIntoNonFiniteResidualsAndStopsAtTheCap) {
  // sqrt(p) is NaN for p < 0: steps there must be rejected, not accepted as NaN.
  const auto r = [](const Eigen::VectorXd& p) {
    Eigen::VectorXd v(1);
    v << std::sqrt(p[0]) + 1;  // minimum at the boundary p = 0
    return v;
  };
  LmOptions options;
  options.max_iterations = 50;
  const auto result = levenberg_marquardt(r, Eigen::VectorXd::Constant(1, 4.0), options);
  EXPECT_TRUE(std::isfinite(result.params[0]));
  EXPECT_GE(result.params[0], 0.0);
  EXPECT_LT(result.params[0], 4.0);
}

TEST(LevenbergMarquardt, ThrowsOnNonFiniteStart) {
  const auto r = [](const Eigen::VectorXd& p) { return Eigen::VectorXd::Constant(1, std::log(p[0])); };
  EXPECT_THROW(levenberg_marquardt(r, Eigen::VectorXd::Constant(1, -1.0)), Error);
}

}  // namespace
}  // namespace rlvr::scaling
