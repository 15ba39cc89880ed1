export { RecommendationsContent, RecommendationBanner, useResizeLink } from './RecommendationsContent';
